#!/usr/bin/env python3
"""Seeds the demo agency of a `make run` platform, through the public API only.

Creates the platform operator (the `identity create-operator` subcommand), the
agency `demo-pd` with its admin, a coordinator and an officer (each accepts their
invitation from the email Notify wrote to the mail folder), then a living roster:
units, about forty people (three linked to the demo logins), a catalog, a year of
training records, certifications (some expiring soon), a completed training event
and one officer submission waiting for approval.

Every step looks at what exists first and adds only what is missing, so a run that
was interrupted, or one whose invitations went to an SMTP server, is finished by the
next run: a lost invitation is sent again (for the agency's first admin, whom no one
else can re-invite, with `identity resend-invitation`). Prints the logins at the end.
"""
import datetime
import email
import email.policy
import json
import os
import pathlib
import random
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zoneinfo

STATE = pathlib.Path(os.environ.get("MUSTER_STATE", ".muster"))
MARKER = STATE / "demo.json"
GATEWAY = "http://127.0.0.1:%s" % os.environ.get("MUSTER_GATEWAY_PORT", "8080")
MAIL = pathlib.Path(os.environ.get("MUSTER_MAIL_DIR", str(STATE / "mail")))
IDENTITY = os.environ.get("MUSTER_BIN", ".build/release") + "/identity"
AGENCY = "demo-pd"
ADMIN, COORDINATOR, OFFICER = "admin@demo-pd.example", "coordinator@demo-pd.example", "officer@demo-pd.example"
PEOPLE = [
    (ADMIN, "Avery Admin", ["agency_admin", "auditor"], "Copper lantern harbor 41"),
    (COORDINATOR, "Casey Coordinator", ["coordinator", "supervisor"], "Granite river compass 52"),
    (OFFICER, "Olive Officer", ["officer"], "Maple window thunder 63"),
]
OPERATOR = ("operator@muster.example", "Velvet signal meadow 30")
TODAY = datetime.datetime.now(zoneinfo.ZoneInfo("America/Chicago")).date()


class DemoError(Exception):
    pass


def call(method, path, body=None, token=None):
    """One request through the Gateway; a `429` waits for its Retry-After and tries again."""
    for _ in range(60):
        request = urllib.request.Request(GATEWAY + path, method=method,
                                         data=json.dumps(body).encode() if body is not None else None)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read().decode()
                return response.status, json.loads(text) if text else {}
        except urllib.error.HTTPError as error:
            text = error.read().decode()
            if error.code == 429:
                time.sleep(min(float(error.headers.get("Retry-After") or 1), 10))
                continue
            try:
                return error.code, json.loads(text or "{}")
            except ValueError:
                return error.code, {"error": {"message": text}}
    raise DemoError("%s %s stayed rate-limited" % (method, path))


def must(expected, method, path, body=None, token=None):
    status, answer = call(method, path, body, token)
    if status not in expected:
        raise DemoError("%s %s answered %s: %s" % (method, path, status, answer))
    return answer


def every(path, token):
    """Every item of a cursor-paged list."""
    items, cursor = [], None
    while True:
        separator = "&" if "?" in path else "?"
        page = path + separator + "limit=100" + ("&cursor=" + urllib.parse.quote(cursor) if cursor else "")
        answer = must((200,), "GET", page, token=token)
        items += answer.get("items", [])
        cursor = answer.get("next_cursor")
        if not cursor:
            return items


def login(agency, address, password):
    status, body = call("POST", "/api/v1/auth/login", {"agency": agency, "email": address, "password": password})
    return body["access_token"] if status == 200 and "access_token" in body else None


# Invitations -----------------------------------------------------------------------------------------------

def invitation_tokens(address, since=0.0):
    """Invitation tokens mailed to `address` (newest first) by Notify into the mail folder after `since`."""
    tokens = []
    for path in sorted(MAIL.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True):
        if path.stat().st_mtime < since:
            continue
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        if address not in str(message.get("To", "")) or body is None:
            continue
        found = re.search(r"[?&]token=(mit\.[0-9a-f]{32}\.[A-Za-z0-9_-]{43})", body.get_content())
        if found:
            tokens.append(found.group(1))
    return tokens


def accept_any(address, password, since=0.0, wait=0):
    """Accepts the newest usable invitation of `address`; waits up to `wait` seconds for one to arrive."""
    until = time.time() + wait
    tried = set()
    while True:
        for token in invitation_tokens(address, since):
            if token in tried:
                continue
            tried.add(token)
            status, _ = call("POST", "/api/v1/auth/invitations/accept", {"token": token, "password": password})
            if status in (200, 204):
                return True
        if time.time() >= until:
            return False
        time.sleep(0.5)


def signed_in(address, password, resend):
    """A session for a demo user: their password works, or an invitation is accepted (sent again when lost)."""
    token = login(AGENCY, address, password)
    if token:
        return token
    if not accept_any(address, password):
        if os.environ.get("MUSTER_SMTP_URL"):
            raise DemoError("the invitation of %s went to the SMTP server (MUSTER_SMTP_URL); accept it from there, "
                            "or run `make run` once without MUSTER_SMTP_URL to finish the demo" % address)
        since = time.time() - 1
        resend()
        if not accept_any(address, password, since=since, wait=60):
            raise DemoError("no invitation email for %s arrived in %s" % (address, MAIL))
    token = login(AGENCY, address, password)
    if not token:
        raise DemoError("%s exists with another password; the demo leaves it alone" % address)
    return token


def resend_first_admin():
    done = subprocess.run([IDENTITY, "resend-invitation", "--agency", AGENCY, "--email", ADMIN], text=True, capture_output=True)
    if done.returncode != 0:
        raise DemoError("resend-invitation failed: " + done.stderr.strip())


# The agency and its logins ----------------------------------------------------------------------------------

def operator_session():
    created = subprocess.run([IDENTITY, "create-operator", "--email", OPERATOR[0]],
                             input=OPERATOR[1] + "\n", text=True, capture_output=True)
    if created.returncode != 0 and "exists" not in created.stderr:
        raise DemoError("create-operator failed: " + created.stderr.strip())
    token = login("platform", *OPERATOR)
    if not token:
        raise DemoError("the operator %s cannot sign in" % OPERATOR[0])
    return token


def demo_agency(operator):
    """The demo agency, created if missing, once provisioning has finished."""
    found = [a for a in every("/api/v1/platform/agencies", operator) if a.get("slug") == AGENCY]
    if not found:
        admin_name = PEOPLE[0][1]
        found = [must((201,), "POST", "/api/v1/platform/agencies",
                      {"slug": AGENCY, "name": "Demo Police Department", "admin_email": ADMIN, "admin_name": admin_name}, operator)]
    agency = found[0]
    for _ in range(240):
        if agency.get("status") == "active":
            return agency
        time.sleep(0.5)
        agency = must((200,), "GET", "/api/v1/platform/agencies/" + agency["id"], token=operator)
    raise DemoError("the demo agency is still %s" % agency.get("status"))


def demo_logins():
    """Signs every demo user in (inviting whoever is missing); returns tokens and user ids by email."""
    admin_address, _, admin_roles, admin_password = PEOPLE[0]
    admin = signed_in(admin_address, admin_password, resend_first_admin)
    users = {u["email"]: u for u in every("/api/v1/users", admin)}
    if set(admin_roles) - set(users[admin_address].get("roles", [])):
        must((200,), "PATCH", "/api/v1/users/" + users[admin_address]["id"], {"roles": admin_roles}, admin)
        admin = login(AGENCY, admin_address, admin_password)
    tokens = {admin_address: admin}
    for address, name, roles, password in PEOPLE[1:]:
        if address not in users:
            users[address] = must((201,), "POST", "/api/v1/users", {"email": address, "name": name, "roles": roles}, admin)
        user_id = users[address]["id"]
        tokens[address] = signed_in(address, password,
                                    lambda: must((202,), "POST", "/api/v1/users/%s/invitation" % user_id, token=admin))
    return tokens, {address: users[address]["id"] for address in users}


def main():
    if MARKER.exists() and login(AGENCY, ADMIN, PEOPLE[0][3]):
        print_logins()
        return
    try:
        operator = operator_session()
        demo_agency(operator)
        tokens, user_ids = demo_logins()
        import demo_roster
        demo_roster.seed(call=must, every=every, tokens=tokens, user_ids=user_ids, today=TODAY,
                         addresses=(ADMIN, COORDINATOR, OFFICER))
    except DemoError as error:
        sys.exit("demo: %s" % error)
    MARKER.write_text(json.dumps({"agency": AGENCY, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}))
    print_logins()


def print_logins():
    print("\nDemo logins (agency / email / password):")
    print("  platform / %s / %s   (platform operator)" % OPERATOR)
    for address, _, roles, password in PEOPLE:
        print("  %s / %s / %s   (%s)" % (AGENCY, address, password, ", ".join(roles)))


if __name__ == "__main__":
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
    main()
