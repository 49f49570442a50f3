"""The demo agency's roster, catalog and training history (used by demo.py).

Everything is made through Records' public API as the demo coordinator (the admin
records the coordinator's own training: nobody records their own). Each step reads
what exists and creates only what is missing, so a second run adds nothing and an
interrupted run is completed. The data is the same on every machine (a fixed seed),
with dates relative to today so that some certifications always expire soon.

Compliance: the Utah pack (40 h per July–June year) and a CPR requirement. Most people
completed last training year (an in-service block tops up whoever fell short), a few did
not (overdue since June 30), and the CPR cards lapsing within weeks make others due soon.
"""
import datetime
import math
import random

UNITS = [("Patrol Division", None), ("Day Shift", "Patrol Division"), ("Night Shift", "Patrol Division"),
         ("Investigations", None), ("Training Unit", None), ("Administration", None)]
CATEGORIES = [("firearms", "Firearms"), ("use_of_force", "Use of force"), ("de_escalation", "De-escalation"),
              ("legal_updates", "Legal updates"), ("first_aid", "First aid and CPR"),
              ("emergency_vehicle_ops", "Emergency vehicle operations"), ("crisis_intervention", "Crisis intervention")]
CERTIFICATION_TYPES = [("cpr", "CPR / AED", 24), ("firearms_qualification", "Firearms qualification", 12),
                       ("firearms_instructor", "Firearms instructor", 36), ("taser", "Conducted energy weapon", 12),
                       ("peace_officer_license", "Peace officer license", None)]
COURSES = [("FQ-HG", "Handgun qualification", 4, {"firearms": 4}, None),
           ("UOF-ANN", "Annual use of force update", 8, {"use_of_force": 6, "legal_updates": 2}, None),
           ("DE-ESC", "De-escalation and tactical communication", 8, {"de_escalation": 8}, None),
           ("CPR-AED", "CPR, AED and first aid", 4, {"first_aid": 4}, None),
           ("EVOC", "Emergency vehicle operations", 16, {"emergency_vehicle_ops": 16}, None),
           ("CIT-40", "Crisis intervention team", 40, {"crisis_intervention": 32, "de_escalation": 8}, None),
           ("LEGAL-Q", "Quarterly legal update", 2, {"legal_updates": 2}, None),
           ("FQ-RANGE", "Range day (instructor led)", 6, {"firearms": 6}, "firearms_instructor")]
FIRST = ["James", "Maria", "Robert", "Linda", "Michael", "Patricia", "David", "Jennifer", "William", "Elizabeth", "Daniel",
         "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Carlos", "Karen", "Anthony", "Nancy", "Mark", "Lisa", "Steven",
         "Angela", "Kevin", "Ashley", "Brian", "Michelle", "Jason", "Kimberly", "Andre", "Emily", "Ryan"]
LAST = ["Johnson", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson",
        "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker",
        "Young", "Allen", "King", "Wright", "Scott", "Nguyen", "Hill", "Green", "Adams", "Baker", "Nelson"]
RANKS = ["Officer"] * 6 + ["Corporal", "Sergeant", "Sergeant", "Detective", "Lieutenant"]


def people(addresses):
    """The roster: (badge, first, last, rank, unit, login email or None, email)."""
    admin, coordinator, officer = addresses
    rng = random.Random(19)
    roster = [("1001", "Avery", "Admin", "Captain", "Administration", admin, admin),
              ("1002", "Casey", "Coordinator", "Sergeant", "Training Unit", coordinator, coordinator),
              ("1003", "Olive", "Officer", "Officer", "Day Shift", officer, officer)]
    units = ["Day Shift"] * 12 + ["Night Shift"] * 12 + ["Investigations"] * 8 + ["Training Unit"] * 2 + ["Administration"] * 3
    for index, unit in enumerate(units):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        rank = "Detective" if unit == "Investigations" and rng.random() < 0.7 else rng.choice(RANKS)
        roster.append((str(1004 + index), first, last, rank, unit, None, "%s.%s@demo-pd.example" % (first.lower(), last.lower())))
    return roster


def seed(call, every, tokens, user_ids, today, addresses):
    admin_address, coordinator_address, officer_address = addresses
    staff, admin = tokens[coordinator_address], tokens[admin_address]
    api = "/api/v1"

    units = {u["name"]: u["id"] for u in every(api + "/units", staff)}
    for name, parent in UNITS:
        if name not in units:
            units[name] = call((201,), "POST", api + "/units", {"name": name, "parent_id": units.get(parent)}, staff)["id"]
    patrol = call((200,), "GET", api + "/units/" + units["Patrol Division"], token=staff)
    if user_ids[coordinator_address] not in patrol.get("supervisor_user_ids", []):
        call((204,), "PUT", api + "/units/%s/supervisors/%s" % (units["Patrol Division"], user_ids[coordinator_address]), token=staff)

    categories = {c["code"] for c in every(api + "/categories", staff)}
    for code, name in CATEGORIES:
        if code not in categories:
            call((201,), "POST", api + "/categories", {"code": code, "name": name}, staff)
    types = {t["code"]: t for t in every(api + "/certification-types", staff)}
    for code, name, months in CERTIFICATION_TYPES:
        if code not in types:
            types[code] = call((201,), "POST", api + "/certification-types", {"code": code, "name": name, "validity_months": months}, staff)
    courses = {c["code"]: c for c in every(api + "/courses", staff)}
    for code, title, hours, split, instructor_type in COURSES:
        if code not in courses:
            body = {"code": code, "title": title, "hours": hours, "category_hours": split, "provider": "Demo PD Training Unit"}
            if instructor_type:
                body["instructor_certification_type_id"] = types[instructor_type]["id"]
            courses[code] = call((201,), "POST", api + "/courses", body, staff)

    existing = {p["badge_number"]: p for p in every(api + "/personnel", staff)}
    rng = random.Random(7)
    roster = people(addresses)
    for badge, first, last, rank, unit, login, address in roster:
        if badge not in existing:
            hired = today - datetime.timedelta(days=rng.randrange(400, 9000))
            body = {"badge_number": badge, "first_name": first, "last_name": last, "rank": rank, "unit_id": units[unit],
                    "hire_date": hired.isoformat(), "email": address}
            if login:
                body["user_id"] = user_ids[login]
            existing[badge] = call((201,), "POST", api + "/personnel", body, staff)
    people_by_badge = {badge: existing[badge]["id"] for badge, *_ in roster}
    instructors = [people_by_badge["1002"], people_by_badge["1010"]]

    # Certifications: a license for everyone, CPR and a yearly qualification spread so that one has lapsed and a
    # few lapse within weeks (CPR expires 15 days ago for the first person, then every 19 days; issued today at the latest).
    for index, (badge, *_rest) in enumerate(roster):
        person = people_by_badge[badge]
        token = admin if badge == "1002" else staff
        held = {c["type_id"] for c in every(api + "/personnel/%s/certifications" % person, token)}
        wanted = [("peace_officer_license", today - datetime.timedelta(days=900 + 37 * index)),
                  ("cpr", today - datetime.timedelta(days=745 - 19 * index)),
                  ("firearms_qualification", today - datetime.timedelta(days=330 - 9 * index))]
        if person in instructors:
            wanted.append(("firearms_instructor", today - datetime.timedelta(days=400)))
        for code, issued in wanted:
            if types[code]["id"] not in held:
                call((201,), "POST", api + "/certifications", {"person_id": person, "type_id": types[code]["id"],
                                                               "issued_on": min(issued, today).isoformat(),
                                                               "number": "%s-%s" % (code[:3].upper(), badge)}, token)

    # A year of training: each person's plan, recorded where missing (matched by title and date).
    plan_rng = random.Random(11)
    for badge, *_rest in roster:
        person = people_by_badge[badge]
        token = admin if badge == "1002" else staff
        have = {(r["title"], r["completed_on"]) for r in every(api + "/personnel/%s/training-records" % person, token)}
        for code in ["UOF-ANN", "CPR-AED", "LEGAL-Q", "LEGAL-Q", "DE-ESC"] + plan_rng.sample(["EVOC", "CIT-40", "FQ-HG"], 2):
            # Every draw is made whether or not the record exists, so a resumed run plans the same records.
            day = today - datetime.timedelta(days=plan_rng.randrange(2, 360))
            outcome, score = plan_rng.choice(["completed", "completed", "passed"]), plan_rng.randrange(78, 100)
            course = courses[code]
            if (course["title"], day.isoformat()) in have:
                continue
            body = {"person_id": person, "course_id": course["id"], "completed_on": day.isoformat(), "outcome": outcome}
            if outcome == "passed":
                body["score"] = score
            call((201,), "POST", api + "/training-records", body, token)
            have.add((course["title"], day.isoformat()))

    # The spring range day: an event run by the two firearms instructors, completed for its roster.
    day = today - datetime.timedelta(days=45)
    events = [e for e in every(api + "/training-events", staff) if e.get("location") == "North range" and e["starts_on"] == day.isoformat()]
    event = events[0] if events else call((201,), "POST", api + "/training-events",
                                          {"course_id": courses["FQ-RANGE"]["id"], "starts_on": day.isoformat(),
                                           "location": "North range", "instructor_person_ids": instructors}, staff)
    if event.get("status") != "completed":
        attendees = [people_by_badge[b] for b, *_ in roster[3:19] if people_by_badge[b] not in instructors]
        call((200,), "PUT", api + "/training-events/%s/roster" % event["id"], {"person_ids": attendees}, staff)
        sheet = [{"person_id": p, "outcome": "absent" if i == 5 else "passed", "score": 80 + i} for i, p in enumerate(attendees)]
        call((200,), "POST", api + "/training-events/%s/complete" % event["id"], {"attendance": sheet}, staff)

    compliance(call, every, tokens, roster, people_by_badge, types, today, admin_address, coordinator_address)

    # One outside course the officer submitted, waiting for the coordinator.
    officer = tokens[officer_address]
    title = "Regional tactical medicine seminar"
    if not any(r["title"] == title for r in every(api + "/me/training-records", officer)):
        call((201,), "POST", api + "/me/training-records",
             {"title": title, "completed_on": (today - datetime.timedelta(days=6)).isoformat(), "hours": 6.5,
              "category_hours": {"first_aid": 6.5}, "outcome": "completed", "notes": "Certificate from the county EMS academy."},
             officer)


# How many people are left short of last training year's 40 hours (overdue since June 30): the first ones
# of the roster who fell short, so a second run (after the others were topped up) picks the same people.
SHORT = 4
TOP_UP = "Annual in-service training block"


def compliance(call, every, tokens, roster, people_by_badge, types, today, admin_address, coordinator_address):
    """The Utah pack, a CPR requirement, and last training year completed by all but SHORT people."""
    staff, admin = tokens[coordinator_address], tokens[admin_address]
    api = "/api/v1"
    call((200,), "POST", api + "/requirement-packs/utah/apply", {}, staff)
    if not any(r["code"] == "cpr_current" for r in every(api + "/requirements", staff)):
        call((201,), "POST", api + "/requirements",
             {"code": "cpr_current", "name": "CPR / AED card current", "kind": "certification", "effective_from": "2000-01-01",
              "params": {"certification_type_id": types["cpr"]["id"]}, "due_soon_days": 30}, staff)
    # Utah's training year runs July 1 to June 30: the previous one ended on the last June 30 before today.
    ends = datetime.date(today.year if today.month >= 7 else today.year - 1, 6, 30)
    starts = datetime.date(ends.year - 1, 7, 1)
    left_short = 0
    for index, (badge, *_rest) in enumerate(roster):
        person = people_by_badge[badge]
        token = admin if badge == "1002" else staff
        records = every(api + "/personnel/%s/training-records" % person, token)
        done = sum(r["hours"] for r in records if r["status"] == "approved" and r["outcome"] != "failed"
                   and starts.isoformat() <= r["completed_on"] <= ends.isoformat())
        if done >= 40:
            continue
        if index >= 3 and left_short < SHORT:
            left_short += 1
            continue
        call((201,), "POST", api + "/training-records",
             {"person_id": person, "title": TOP_UP, "completed_on": (ends - datetime.timedelta(days=20)).isoformat(),
              "hours": math.ceil((40 - done) * 4) / 4, "outcome": "completed"}, token)
