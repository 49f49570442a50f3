"""Headless Chromium for the browser tests: Debian's chromium and chromedriver, the
driver's path given explicitly (Selenium Manager never runs, nothing is downloaded),
exact viewport widths through the DevTools protocol, axe-core from selenium-axe-python."""
import json

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

CHROMEDRIVER = "/usr/bin/chromedriver"
WIDTHS = (375, 768, 1280)


def chromium():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--hide-scrollbars",
                     "--lang=en-US", "--disable-extensions"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    return driver


def set_width(driver, width, height=900):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def wait(driver, seconds=20):
    return WebDriverWait(driver, seconds)


def visible(driver, css, seconds=20):
    return wait(driver, seconds).until(expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, css)))


def text_appears(driver, css, text, seconds=20):
    wait(driver, seconds).until(expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, css), text))


def axe_violations(driver):
    """Serious and critical WCAG 2.x A/AA violations on the page as it is now."""
    from selenium_axe_python import Axe
    axe = Axe(driver)
    axe.inject()
    result = axe.run(options=json.dumps({"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                                         "resultTypes": ["violations"]}))
    return [violation for violation in result["violations"] if violation["impact"] in ("serious", "critical")]


def describe(violations):
    return "\n".join("%s [%s] %s: %s" % (violation["id"], violation["impact"], violation["help"],
                                         [node["target"] for node in violation["nodes"]][:5]) for violation in violations)
