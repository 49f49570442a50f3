#!/usr/bin/env python3
"""Seeds a demo agency on a fresh `make run` platform, through the public API only.

Creates the platform operator (the `identity create-operator` subcommand), the
agency `demo-pd` with its admin, a coordinator and an officer, each of whom
accepts their invitation from the email Notify wrote to the mail folder. Runs
once per data folder (marker: $MUSTER_STATE/demo.json, .muster by default) and prints the logins.
"""
import email
import email.policy
import json
import os
import pathlib
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

STATE = pathlib.Path(os.environ.get("MUSTER_STATE", ".muster"))
MARKER = STATE / "demo.json"
GATEWAY = "http://127.0.0.1:%s" % os.environ.get("MUSTER_GATEWAY_PORT", "8080")
MAIL = pathlib.Path(os.environ.get("MUSTER_MAIL_DIR", str(STATE / "mail")))
AGENCY = "demo-pd"
PEOPLE = [
    ("admin@demo-pd.example", "Avery Admin", ["agency_admin", "auditor"], "Copper lantern harbor 41"),
    ("coordinator@demo-pd.example", "Casey Coordinator", ["coordinator", "supervisor"], "Granite river compass 52"),
    ("officer@demo-pd.example", "Olive Officer", ["officer"], "Maple window thunder 63"),
]
OPERATOR = ("operator@muster.example", "Velvet signal meadow 30")


def call(method, path, body=None, token=None):
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
        return error.code, json.loads(error.read().decode() or "{}")


def login(agency, address, password):
    status, body = call("POST", "/api/v1/auth/login", {"agency": agency, "email": address, "password": password})
    if status != 200 or "access_token" not in body:
        sys.exit("demo: login of %s failed (%s): %s" % (address, status, body))
    return body["access_token"]


def invitation_token(address, deadline=60):
    """The token in the newest invitation email to `address` (Notify's .eml files)."""
    until = time.time() + deadline
    while time.time() < until:
        for path in sorted(MAIL.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if address not in str(message.get("To", "")):
                continue
            text = message.get_body(preferencelist=("plain",)).get_content()
            found = re.search(r"[?&]token=([A-Za-z0-9_.~\-]+)", text)
            if found:
                return found.group(1)
        time.sleep(0.5)
    sys.exit("demo: no invitation email for %s in %s" % (address, MAIL))


def accept(address, password):
    status, body = call("POST", "/api/v1/auth/invitations/accept",
                        {"token": invitation_token(address), "password": password})
    if status not in (200, 204):
        sys.exit("demo: accepting the invitation of %s failed (%s): %s" % (address, status, body))


def main():
    if MARKER.exists():
        print_logins()
        return
    created = subprocess.run([os.environ.get("MUSTER_BIN", ".build/release") + "/identity", "create-operator", "--email", OPERATOR[0]],
                             input=OPERATOR[1] + "\n", text=True, capture_output=True)
    if created.returncode != 0 and "exists" not in created.stderr:
        sys.exit("demo: create-operator failed: " + created.stderr)
    operator = login("platform", *OPERATOR)

    admin_address, admin_name, admin_roles, admin_password = PEOPLE[0]
    status, body = call("POST", "/api/v1/platform/agencies",
                        {"slug": AGENCY, "name": "Demo Police Department", "admin_email": admin_address,
                         "admin_name": admin_name}, operator)
    if status not in (200, 201, 409):
        sys.exit("demo: creating the agency failed (%s): %s" % (status, body))
    accept(admin_address, admin_password)
    admin = login(AGENCY, admin_address, admin_password)
    status, users = call("GET", "/api/v1/users?q=" + admin_address.split("@")[0], token=admin)
    for item in users.get("items", []):
        if item.get("email") == admin_address and set(admin_roles) - set(item.get("roles", [])):
            call("PATCH", "/api/v1/users/" + item["id"], {"roles": admin_roles}, admin)

    for address, name, roles, password in PEOPLE[1:]:
        status, body = call("POST", "/api/v1/users", {"email": address, "name": name, "roles": roles}, admin)
        if status not in (200, 201, 409):
            sys.exit("demo: inviting %s failed (%s): %s" % (address, status, body))
        accept(address, password)
    MARKER.write_text(json.dumps({"agency": AGENCY, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}))
    print_logins()


def print_logins():
    print("\nDemo logins (agency / email / password):")
    print("  platform / %s / %s   (platform operator)" % OPERATOR)
    for address, _, roles, password in PEOPLE:
        print("  %s / %s / %s   (%s)" % (AGENCY, address, password, ", ".join(roles)))


if __name__ == "__main__":
    main()
