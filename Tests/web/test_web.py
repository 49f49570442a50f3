"""The web app in a real headless Chromium against a whole platform (`make test`
runs this file; alone: `python3 Tests/web/test_web.py`). Each role's main journey,
the session's cookie, errors in words, a lost connection, and axe-core on every
page at 375, 768 and 1280 px with screenshots in .build/web-screenshots/."""
import datetime
import email
import email.policy
import os
import pathlib
import random
import re
import shutil
import struct
import sys
import tempfile
import unittest
import zlib

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from api import API, TOTP  # noqa: E402
from browser import By, WIDTHS, axe_violations, chromium, describe, set_width, text_appears, visible, wait  # noqa: E402
from muster_platform import ROOT, Platform  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

SHOTS = ROOT / ".build/web-screenshots"
platform = None
fixture = {}


def setUpModule():
    global platform
    platform = Platform().start()
    api = API(platform.url)
    officer = platform.logins["officer"]
    # The officer signs in with a second factor: enrolled here, codes computed by the test.
    token = api.token(officer)
    enrollment = api.must("POST", "/api/v1/me/mfa/totp", {"password": officer["password"]}, token)
    totp = TOTP(enrollment["secret"])
    api.must("POST", "/api/v1/me/mfa/totp/confirm", {"code": totp.fresh()}, token)
    staff = api.token(platform.logins["coordinator"])
    people = api.must("GET", "/api/v1/personnel?limit=200", token=staff)["items"]
    olive = next(person for person in people if person["first_name"] == "Olive")
    casey = next(person for person in people if person["first_name"] == "Casey")
    courses = api.must("GET", "/api/v1/courses", token=staff)["items"]
    course = next(course for course in courses if not course.get("instructor_certification_type_id"))
    # An open event of 20 people for the attendance grid.
    event = api.must("POST", "/api/v1/training-events", {"course_id": course["id"], "starts_on": datetime.date.today().isoformat(),
                                                         "location": "Classroom B"}, staff)
    attendees = [person["id"] for person in people if person["id"] != casey["id"] and person["status"] == "active"][:20]
    api.must("PUT", "/api/v1/training-events/%s/roster" % event["id"], {"person_ids": attendees}, staff)
    fixture.update(api=api, totp=totp, officer_person=olive, event=event, attendees=attendees)
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)


def tearDownModule():
    if platform:
        platform.stop()


def photo_file():
    """A real PNG (a 64×48 gradient), as a phone camera's file would be chosen."""
    width, height = 64, 48
    raw = b"".join(b"\0" + b"".join(bytes((x * 4, y * 5, 128)) for x in range(width)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    path = pathlib.Path(tempfile.mkdtemp()) / "certificate.png"
    path.write_bytes(png)
    return str(path)


class Browser:
    """One person's browser."""

    def __init__(self, login):
        self.login = login
        self.driver = chromium()
        set_width(self.driver, 1280)

    def go(self, path):
        self.driver.get(platform.url + path)
        return visible(self.driver, "main[aria-busy=false] h1")

    def sign_in(self):
        driver = self.driver
        driver.get(platform.url + "/login")
        form = visible(driver, "main form")
        agency = form.find_element(By.NAME, "agency")
        agency.clear()
        agency.send_keys(self.login["agency"])
        form.find_element(By.NAME, "email").send_keys(self.login["email"])
        form.find_element(By.NAME, "password").send_keys(self.login["password"])
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        if self.login is platform.logins["officer"]:
            code = visible(driver, "input[name=code]")
            code.send_keys(fixture["totp"].fresh())
            driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        text_appears(driver, "main h1", "Hello,")

    def quit(self):
        self.driver.quit()

    def refresh_cookie(self):
        cookies = self.driver.execute_cdp_cmd("Network.getAllCookies", {})["cookies"]
        return next((cookie for cookie in cookies if cookie["name"] == "__Secure-muster-refresh"), None)


class Journeys(unittest.TestCase):
    def test_officer_submits_training_with_a_photo_the_coordinator_approves_and_the_officer_sees_it(self):
        officer = Browser(platform.logins["officer"])
        coordinator = Browser(platform.logins["coordinator"])
        try:
            officer.sign_in()
            title = "Crisis negotiation seminar %d" % random.randrange(10_000, 99_999)
            officer.go("/training/submit")
            form = officer.driver.find_element(By.CSS_SELECTOR, "main form")
            form.find_element(By.NAME, "title").send_keys(title)
            officer.driver.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "completed_on"),
                                          (datetime.date.today() - datetime.timedelta(days=3)).isoformat())
            form.find_element(By.NAME, "hours").send_keys("6")
            form.find_element(By.NAME, "file").send_keys(photo_file())
            visible(officer.driver, "img.preview")
            form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            text_appears(officer.driver, "main", "Your training is submitted")
            self.assertIn("/training?status=pending", officer.driver.current_url)
            row = officer.driver.find_element(By.XPATH, "//tr[td[text()='%s']]" % title)
            self.assertIn("Waiting for approval", row.text)

            coordinator.sign_in()
            coordinator.go("/roster")
            coordinator.driver.find_element(By.NAME, "q").send_keys("Olive")
            text_appears(coordinator.driver, "main", "1 person")
            link = visible(coordinator.driver, "a[href='/people/%s']" % fixture["officer_person"]["id"])
            link.click()
            card = wait(coordinator.driver).until(lambda driver: next(
                (card for card in driver.find_elements(By.CSS_SELECTOR, ".card") if title in card.text), None))
            card.find_element(By.XPATH, ".//button[text()='Approve']").click()
            text_appears(coordinator.driver, "main", "“%s” is approved." % title)

            officer.go("/training")  # a new page load: the session comes back through the refresh cookie
            row = visible(officer.driver, "main table")
            row = officer.driver.find_element(By.XPATH, "//tr[td[text()='%s']]" % title)
            self.assertIn("Approved", row.text)
        finally:
            officer.quit()
            coordinator.quit()

    def test_coordinator_completes_an_event_of_twenty_people_in_one_screen(self):
        coordinator = Browser(platform.logins["coordinator"])
        try:
            coordinator.sign_in()
            coordinator.go("/events/%s" % fixture["event"]["id"])
            rows = coordinator.driver.find_elements(By.CSS_SELECTOR, "table.attendance tbody tr")
            self.assertEqual(len(rows), 20)
            # Keyboard only: the third person is absent, chosen from the outcome list by typing.
            rows[2].find_element(By.CSS_SELECTOR, "select").send_keys("Absent")
            rows[3].find_element(By.CSS_SELECTOR, "input[name^=score]").send_keys("97")
            coordinator.driver.find_element(By.XPATH, "//button[text()='Complete the event']").send_keys(Keys.ENTER)
            text_appears(coordinator.driver, "main", "The event is complete")
            event = fixture["api"].must("GET", "/api/v1/training-events/%s" % fixture["event"]["id"],
                                        token=fixture["api"].token(platform.logins["coordinator"]))
            self.assertEqual(event["status"], "completed")
            outcomes = sorted(row["outcome"] for row in event["roster"])
            self.assertEqual(outcomes.count("absent"), 1)
            self.assertEqual(outcomes.count("completed"), 19)
            self.assertEqual(sorted(row["score"] for row in event["roster"] if row["score"] is not None), [97])
        finally:
            coordinator.quit()

    def test_the_session_is_an_httponly_cookie_and_signing_out_ends_it(self):
        officer = Browser(platform.logins["officer"])
        try:
            officer.sign_in()
            cookie = officer.refresh_cookie()
            self.assertIsNotNone(cookie, "Chromium keeps the Secure cookie on http://localhost")
            self.assertEqual((cookie["httpOnly"], cookie["secure"], cookie["sameSite"], cookie["path"]),
                             (True, True, "Strict", "/api/v1/auth/refresh"))
            stored = officer.driver.execute_script("return JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie")
            self.assertNotIn("eyJ", stored, "no access token in storage")
            self.assertNotIn(cookie["value"], stored, "the refresh token is out of script's reach")
            officer.go("/account/sessions")
            self.assertIn("This device", officer.driver.find_element(By.CSS_SELECTOR, "main").text)
            officer.driver.find_element(By.XPATH, "//button[text()='Sign out']").click()
            visible(officer.driver, "input[name=password]")
            self.assertIn("/login", officer.driver.current_url)
            self.assertIsNone(officer.refresh_cookie(), "signing out clears the cookie")
            officer.driver.get(platform.url + "/training")
            visible(officer.driver, "input[name=password]")
            self.assertIn("/login?next=%2Ftraining", officer.driver.current_url)
        finally:
            officer.quit()

    def test_errors_are_words_next_to_their_field_and_a_lost_connection_says_so_and_retries(self):
        browser = Browser(dict(platform.logins["coordinator"], password="Not the password at all"))
        try:
            driver = browser.driver
            driver.get(platform.url + "/login")
            form = visible(driver, "main form")
            form.find_element(By.NAME, "agency").clear()
            form.find_element(By.NAME, "agency").send_keys("demo-pd")
            form.find_element(By.NAME, "email").send_keys(browser.login["email"])
            form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            password = form.find_element(By.NAME, "password")
            text_appears(driver, "#" + password.get_attribute("id") + "-error", "Enter your password.")
            password.send_keys(browser.login["password"])
            form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            text_appears(driver, "#" + password.get_attribute("id") + "-error", "The agency, email or password is not right.")
            self.assertEqual(password.get_attribute("aria-invalid"), "true")
            self.assertEqual(driver.switch_to.active_element, password)
            self.assertNotIn("{", driver.find_element(By.CSS_SELECTOR, "main").text)

            browser.login = platform.logins["coordinator"]
            driver.get(platform.url + "/login")
            browser.sign_in()
            browser.go("/roster")
            visible(driver, "main .list-group")
            driver.execute_cdp_cmd("Network.enable", {})
            driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                                   {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
            driver.find_element(By.NAME, "q").send_keys("Olive")
            text_appears(driver, "#connection", "The connection to Muster is lost")
            driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                                   {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
            text_appears(driver, "main", "1 person", seconds=30)
            self.assertEqual(driver.find_element(By.ID, "connection").text, "")
        finally:
            browser.quit()


class Invitation(unittest.TestCase):
    def test_admin_invites_a_user_who_accepts_from_the_emailed_link_and_sets_up_two_step_sign_in(self):
        admin = Browser(platform.logins["admin"])
        newcomer = Browser({"agency": "demo-pd", "email": "newcomer%d@demo-pd.example" % random.randrange(10_000, 99_999),
                            "password": "Harbor lights at seven 88"})
        try:
            admin.sign_in()
            admin.go("/admin/users")
            form = admin.driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby=invite] form")
            form.find_element(By.NAME, "name").send_keys("Nia Newcomer")
            form.find_element(By.NAME, "email").send_keys(newcomer.login["email"])
            form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            text_appears(admin.driver, "main", "Nia Newcomer is invited.")
            link = wait(admin.driver, 30).until(lambda _: emailed_link(newcomer.login["email"], "/accept-invitation"))

            newcomer.driver.get(link)
            form = visible(newcomer.driver, "main form")
            form.find_element(By.NAME, "password").send_keys(newcomer.login["password"])
            form.find_element(By.NAME, "confirm_password").send_keys(newcomer.login["password"])
            form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            text_appears(newcomer.driver, "main", "Your account is ready.")
            newcomer.sign_in()

            newcomer.go("/account/security")
            form = newcomer.driver.find_element(By.CSS_SELECTOR, "main form")
            form.find_element(By.NAME, "password").send_keys(newcomer.login["password"])
            form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            visible(newcomer.driver, "svg.qr[role=img]")
            # The key shown beside the QR code is the one the app would scan: codes computed from it are accepted.
            totp = TOTP(newcomer.driver.find_element(By.CSS_SELECTOR, "code.secret").text.replace(" ", ""))
            newcomer.driver.find_element(By.NAME, "code").send_keys(totp.fresh())
            newcomer.driver.find_element(By.XPATH, "//button[text()='Turn on two-step sign-in']").click()
            text_appears(newcomer.driver, "main", "Your recovery codes")
            self.assertEqual(len(newcomer.driver.find_elements(By.CSS_SELECTOR, ".recovery-codes li")), 10)
            api = fixture["api"]
            status, answer = api.call("POST", "/api/v1/auth/login", {k: newcomer.login[k] for k in ("agency", "email", "password")})
            self.assertEqual((status, answer.get("mfa_required")), (200, True), "the next sign-in asks for the code")
        finally:
            admin.quit()
            newcomer.quit()


def emailed_link(address, path):
    """The newest link to `path` in the mail Notify wrote to `address` (the mail folder of the platform)."""
    for message in sorted((platform.state / "mail").glob("*.eml"), key=lambda item: item.stat().st_mtime, reverse=True):
        parsed = email.message_from_bytes(message.read_bytes(), policy=email.policy.default)
        body = parsed.get_body(preferencelist=("plain",))
        if address in str(parsed.get("To", "")) and body is not None:
            found = re.search(r"(https?://\S+%s\?token=\S+)" % re.escape(path), body.get_content())
            if found:
                return found.group(1)
    return None


# Every page, by the role that uses it: (role, screenshot name, path, what the page shows once loaded).
def pages():
    event, person = fixture["event"]["id"], fixture["officer_person"]["id"]
    return [
        (None, "sign-in", "/login", "Sign in to Muster"), (None, "not-found", "/no-such-page", "Page not found"),
        ("officer", "officer-home", "/", "At a glance"), ("officer", "officer-training", "/training", "My training"),
        ("officer", "officer-submit-training", "/training/submit", "Certificate"),
        ("officer", "sessions", "/account/sessions", "This device"), ("officer", "password", "/account/password", "New password again"),
        ("officer", "not-allowed", "/roster", "Not allowed"), ("officer", "security", "/account/security", "Two-step sign-in is on"),
        (None, "forgot-password", "/forgot-password", "Forgot your password?"),
        (None, "accept-invitation", "/accept-invitation?token=x", "Set my password"),
        (None, "reset-password", "/reset-password?token=x", "Choose a new password"),
        ("coordinator", "coordinator-roster", "/roster", "people"), ("coordinator", "coordinator-person", "/people/" + person, "Training history"),
        ("coordinator", "coordinator-events", "/events", "Classroom B"), ("coordinator", "coordinator-attendance", "/events/" + event, "Attendance"),
        ("admin", "admin-users", "/admin/users", "Everyone"),
    ]


class Accessibility(unittest.TestCase):
    def test_every_page_at_every_width_has_no_serious_or_critical_axe_violation(self):
        found = []
        browsers = {}
        try:
            for role, name, path, marker in pages():
                if role not in browsers:
                    browsers[role] = Browser(platform.logins[role] if role else {})
                    if role:
                        browsers[role].sign_in()
                driver = browsers[role].driver
                for width in WIDTHS:
                    set_width(driver, width)
                    driver.get(platform.url + path)
                    visible(driver, "main[aria-busy=false]")
                    text_appears(driver, "main", marker)
                    violations = axe_violations(driver)
                    if violations:
                        found.append("%s %s at %d px:\n%s" % (role or "anyone", path, width, describe(violations)))
                    if width in (375, 1280):
                        driver.save_screenshot(str(SHOTS / ("%s-%d.png" % (name, width))))
        finally:
            for browser in browsers.values():
                browser.quit()
        self.assertEqual(found, [], "\n\n".join(found))


if __name__ == "__main__":
    unittest.main(verbosity=2)
