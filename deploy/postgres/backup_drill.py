#!/usr/bin/env python3
"""The API half of deploy/postgres/backup-test.sh, against a running platform.

  backup_drill.py setup N       N agencies, each with a signed-in admin (state: $MUSTER_STATE/drill.json)
  backup_drill.py write PHASE   one person per agency, in parallel, named after PHASE; prints the count
  backup_drill.py verify        after the restore: every `before` person present, no `after`/`lost`
                                person, every agency's audit chain verifies; exits 1 otherwise
"""
import concurrent.futures
import json
import os
import pathlib
import sys
import time
import urllib.error

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "deploy/dev"))
import demo  # noqa: E402  the API helpers `make run` uses (Gateway URL, mail folder, invitations)

STATE = pathlib.Path(os.environ["MUSTER_STATE"])
DRILL = STATE / "drill.json"
PASSWORD = "Harbor lantern restore 77"
WORKERS = 4


def retried(function):
    """`function` again after a timeout (a loaded machine can keep a login waiting past
    30 s); every step of the drill is idempotent."""
    def attempt(item):
        for tries in range(3):
            try:
                return function(item)
            except (TimeoutError, urllib.error.URLError):
                if tries == 2:
                    raise
                time.sleep(2)
    return attempt


def parallel(function, items):
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(retried(function), items))


def setup(count):
    operator = demo.operator_session()

    def create(index):
        slug = "drill-%04d" % index
        address = "admin@%s.example" % slug
        existing = demo.call("POST", "/api/v1/platform/agencies",
                             {"slug": slug, "name": "Drill %d PD" % index, "admin_email": address, "admin_name": "Drill Admin"},
                             operator)
        if existing[0] not in (201, 409):
            raise demo.DemoError("creating %s answered %s: %s" % (slug, existing[0], existing[1]))
        token = demo.login(slug, address, PASSWORD)
        if not token:
            if not demo.accept_any(address, PASSWORD, wait=120):
                raise demo.DemoError("no invitation for " + address)
            token = demo.login(slug, address, PASSWORD)
        return {"slug": slug, "admin": address, "token": token}

    started = time.time()
    agencies = parallel(create, range(count))
    DRILL.write_text(json.dumps({"agencies": agencies}))
    print("agencies %d created in %.0f s" % (len(agencies), time.time() - started))


def session(agency):
    token = demo.login(agency["slug"], agency["admin"], PASSWORD)
    if not token:
        raise demo.DemoError("%s cannot sign in" % agency["admin"])
    return token


def signed(agency, method, path, body=None):
    """A call with the agency admin's token from setup (scrypt once per agency, not per
    call), signing in again when it has expired."""
    status, answer = demo.call(method, path, body, agency.get("token"))
    if status == 401:
        agency["token"] = session(agency)
        status, answer = demo.call(method, path, body, agency["token"])
    return status, answer


def write(phase):
    agencies = json.loads(DRILL.read_text())["agencies"]

    def one(agency):
        body = {"badge_number": phase, "first_name": "Drill", "last_name": phase.capitalize(), "hire_date": "2020-01-06"}
        status, answer = signed(agency, "POST", "/api/v1/personnel", body)
        # 409: a retried write whose first attempt arrived (badge numbers are unique).
        if status not in (201, 409):
            raise demo.DemoError("%s: writing %s answered %s: %s" % (agency["slug"], phase, status, answer))
        return 1

    print(sum(parallel(one, agencies)))


def verify():
    agencies = json.loads(DRILL.read_text())["agencies"]

    def check(agency):
        signed(agency, "GET", "/api/v1/me")
        badges = {p["badge_number"] for p in demo.every("/api/v1/personnel", agency["token"])}
        problems = []
        if "before" not in badges:
            problems.append("the write before the target is missing")
        problems += ["the %s write (after the target) is present" % phase for phase in ("after", "lost") if phase in badges]
        status, answer = signed(agency, "GET", "/api/v1/audit/verify")
        if status != 200 or answer.get("ok") is not True:
            problems.append("the audit chain does not verify: %s %s" % (status, answer))
        return ["%s: %s" % (agency["slug"], p) for p in problems], answer

    results = parallel(check, agencies)
    problems = [p for found, _ in results for p in found]
    for problem in problems[:20]:
        print(problem)
    print("verified %d agencies: %d problems; sample audit verification: %s"
          % (len(agencies), len(problems), json.dumps(results[0][1])[:300]))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "setup":
        setup(int(sys.argv[2]))
    elif command == "write":
        write(sys.argv[2])
    elif command == "verify":
        verify()
    else:
        sys.exit(__doc__)
