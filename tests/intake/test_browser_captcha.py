"""The captcha as a resident meets it, in Debian's Chromium on a 360 px phone, with the real proof of work.

With JavaScript the widget solves its challenge while the resident types, and one tap on "Send" sends the report,
also when the tap comes before the work is done. Without JavaScript, or when the widget cannot work, the picture's
digits are typed. The page keeps its strict Content-Security-Policy throughout: no violation is reported.
"""
import base64
import json
from dataclasses import dataclass

import pytest
from flask import Flask

from tests.browser import PHONE, assert_fits_phone, require_chromium, served

sync_api = require_chromium()

from reporting import captcha, create_app  # noqa: E402
from tests.conftest import app_config, migrate  # noqa: E402
from tests.factories import make_round  # noqa: E402

expect = sync_api.expect
CONTENT = "村委会违规发放补贴，群众意见很大。"


@dataclass
class LiveSite:
    app: Flask
    token: str
    scan_url: str


@pytest.fixture(scope="module")
def live_site(tmp_path_factory):
    """The site with its captcha on, served over HTTP on 127.0.0.1 (a secure context for the browser)."""
    tmp_path = tmp_path_factory.mktemp("captcha")
    url = f"sqlite:///{tmp_path / 'captcha.sqlite'}"
    migrate(url, tmp_path)
    # One phone sends all this module's reports: the per-device limit is not what is tested here.
    app = create_app(app_config(url, tmp_path) | {"TESTING": False, "CAPTCHA": True, "SUBMIT_LIMIT": "50 per minute"})
    with app.app_context():
        token = make_round().round_code.token
    with served(app) as base_url:
        yield LiveSite(app, token, f"{base_url}/r/{token}")


def open_phone(browser, *, javascript: bool):
    """A phone-sized page, noting the CSP violations it reports in `page.violations`."""
    context = browser.new_context(java_script_enabled=javascript, **PHONE)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text
            and page.violations.append(message.text))
    return context, page


@pytest.fixture
def phone(browser):
    context, page = open_phone(browser, javascript=True)
    yield page
    context.close()


@pytest.fixture
def phone_without_script(browser):
    context, page = open_phone(browser, javascript=False)
    yield page
    context.close()


def digits_on(page, live_site) -> str:
    """What the page's picture shows (a test cannot read it; the site's secret can)."""
    challenge = page.locator("input[name=captcha_challenge]").input_value()
    with live_site.app.app_context():
        return captcha.digits_for(live_site.token, challenge)


def open_form(page, live_site) -> None:
    """Open the form and wait for the widget, as a resident reading the notice would."""
    page.goto(live_site.scan_url)
    expect(page.locator("altcha-widget")).to_have_count(1)


def tap_send(page) -> None:
    with page.expect_navigation():
        page.locator("form.report-form button[type=submit]").click()


def expect_receipt(page) -> None:
    expect(page.locator("#receipt")).to_be_visible()
    assert page.violations == []


def test_one_tap_sends_while_the_widget_is_still_working(phone, live_site):
    open_form(phone, live_site)
    assert_fits_phone(phone)
    phone.fill("textarea[name=content]", CONTENT)  # the first focus starts the proof of work
    tap_send(phone)  # at once: the tap waits for the work, then sends
    expect_receipt(phone)


def test_the_widget_solves_while_the_resident_types_and_hides_the_picture(phone, live_site):
    open_form(phone, live_site)
    expect(phone.locator("#captcha-digits")).to_be_visible()
    phone.fill("textarea[name=content]", CONTENT)
    expect(phone.locator("#captcha-digits")).to_be_hidden()
    expect(phone.locator("altcha-widget [data-state=verified]")).to_be_visible()
    proof = json.loads(base64.b64decode(phone.locator("input[name=altcha]").input_value()))
    assert proof["solution"]["counter"] >= captcha.COUNTERS[0]  # the real work, not a test shortcut
    assert_fits_phone(phone)
    tap_send(phone)
    expect_receipt(phone)


def test_without_javascript_the_digits_are_typed(phone_without_script, live_site):
    phone = phone_without_script
    phone.goto(live_site.scan_url)
    assert_fits_phone(phone)
    expect(phone.locator("img.captcha-image")).to_be_visible()
    phone.fill("textarea[name=content]", CONTENT)
    phone.locator("form.report-form button[type=submit]").click()
    expect(phone.locator("input[name=captcha_answer]")).to_be_focused()  # the browser asks for the digits first
    phone.fill("input[name=captcha_answer]", "0000")
    tap_send(phone)
    expect(phone.locator("#captcha-error")).to_be_visible()  # refused, the text kept, a new picture offered
    expect(phone.locator("textarea[name=content]")).to_have_value(CONTENT)
    assert_fits_phone(phone)
    phone.fill("input[name=captcha_answer]", digits_on(phone, live_site))
    tap_send(phone)
    expect_receipt(phone)


def test_when_the_widget_cannot_work_the_picture_remains(phone, live_site):
    phone.route("**/vendor/altcha/pbkdf2.js", lambda route: route.abort())  # say, a worker the phone refuses
    open_form(phone, live_site)
    phone.fill("textarea[name=content]", CONTENT)
    expect(phone.locator("altcha-widget")).to_have_count(0)
    phone.locator("form.report-form button[type=submit]").click()
    expect(phone.locator("input[name=captcha_answer]")).to_be_focused()  # nothing sent without an answer
    phone.fill("input[name=captcha_answer]", digits_on(phone, live_site))
    tap_send(phone)
    expect_receipt(phone)


def test_typing_before_the_widget_has_loaded_still_starts_the_work(phone, live_site):
    held = []
    phone.route("**/vendor/altcha/altcha.min.js", lambda route: held.append(route))  # a slow network
    phone.goto(live_site.scan_url, wait_until="domcontentloaded")
    phone.fill("textarea[name=content]", CONTENT)  # this focus comes before the widget can see it
    for _ in range(100):
        if held:
            break
        phone.wait_for_timeout(50)
    expect(phone.locator("altcha-widget")).to_have_count(0)
    held[0].continue_()
    expect(phone.locator("#captcha-digits")).to_be_hidden()  # solved with no other focus or tap
    tap_send(phone)
    expect_receipt(phone)
