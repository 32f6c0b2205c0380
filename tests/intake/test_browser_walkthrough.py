"""Issue 14's findings for residents, read on a 360 px phone in Chromium: what the round covers and when it
listens at the top of its page, a plain-text notice keeping its paragraphs, a ten-digit phone sent back with the
form filled in, the status page naming the round, the photos, what comes next and the way back, and the pages
of a withdrawn code and of a closed round pointing somewhere useful.
"""
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from tests.browser import assert_fits_phone, require_chromium, screenshot, served

sync_api = require_chromium()

from reporting.rounds.services import TeamPlan, add_location, revoke  # noqa: E402
from tests.conftest import app_on_own_file  # noqa: E402
from tests.factories import make_round  # noqa: E402

expect = sync_api.expect
NOTICE = "受理范围：违反中央八项规定精神的问题。\n\n不受理：涉法涉诉事项，请向有关部门反映。"


@dataclass
class Village:
    base_url: str
    round_token: str
    revoked_token: str
    closed_token: str


@pytest.fixture(scope="module")
def village(tmp_path_factory):
    """An open round with two teams, hours and a two-paragraph plain-text notice, a withdrawn poster code of it,
    and a round that closed last month."""
    app = app_on_own_file(tmp_path_factory, "walk360", TESTING=False)
    with app.app_context():
        round_ = make_round(teams=[TeamPlan("第一巡察组", ["南村村委会"]), TeamPlan("第二巡察组", ["镇卫生院"])],
                            name="县委第三轮巡察", intake_hours="工作日 8:30–17:30", notice=NOTICE)
        poster = add_location(round_, round_.units[0], "村委会门口", None)
        revoke(poster, "海报被撕毁", None)
        today = date.today()
        closed = make_round(name="县委第二轮巡察", status="closed", starts_on=today - timedelta(days=60),
                            ends_on=today - timedelta(days=30))
        tokens = round_.round_code.token, poster.token, closed.round_code.token
    with served(app) as base_url:
        yield Village(base_url, *tokens)


def test_the_page_says_what_the_round_covers_and_keeps_the_notices_paragraphs(phone, village):
    phone.goto(f"{village.base_url}/r/{village.round_token}")
    coverage = phone.locator("#coverage")
    expect(coverage).to_contain_text("工作日 8:30–17:30")
    expect(coverage).to_contain_text("第一巡察组")
    expect(coverage).to_contain_text("镇卫生院")
    form_top = phone.locator("form textarea[name=content]").bounding_box()["y"]
    assert coverage.bounding_box()["y"] < form_top, "the round's coverage is not above the form"
    paragraphs = phone.locator(".notice p").all_inner_texts()
    assert paragraphs[:2] == NOTICE.split("\n\n"), paragraphs
    assert_fits_phone(phone)
    screenshot(phone, "walk-intake-360")


def test_a_ten_digit_phone_comes_back_with_the_reason_and_every_field(phone, village):
    phone.goto(f"{village.base_url}/r/{village.round_token}")
    phone.check("input[name=anonymous][value='0']")
    phone.fill("input[name=reporter_name]", "王五")
    phone.fill("input[name=reporter_phone]", "1380013800")
    phone.fill("textarea[name=content]", "村里低保名单有问题。")
    with phone.expect_navigation():
        phone.locator("form button[type=submit]").click()
    expect(phone.locator(".has-error:has(input[name=reporter_phone])")).to_be_visible()
    expect(phone.locator("input[name=reporter_phone]")).to_have_value("1380013800")
    expect(phone.locator("input[name=reporter_name]")).to_have_value("王五")
    expect(phone.locator("textarea[name=content]")).to_have_value("村里低保名单有问题。")
    assert_fits_phone(phone)
    screenshot(phone, "walk-phone-refused-360")


def test_the_status_page_names_the_round_the_photos_what_comes_next_and_the_way_back(phone, village, photo):
    phone.goto(f"{village.base_url}/r/{village.round_token}")
    phone.fill("textarea[name=content]", "卫生院收红包。")
    phone.set_input_files("input[name=attachments]", str(photo))
    with phone.expect_navigation():
        phone.locator("form button[type=submit]").click()
    receipt = phone.locator("#receipt").inner_text().strip()
    phone.on("dialog", lambda dialog: dialog.accept())
    phone.goto(f"{village.base_url}/status")
    phone.fill("input[name=receipt]", receipt)
    with phone.expect_navigation():
        phone.locator("form button[type=submit]").click()
    expect(phone.locator("main")).to_contain_text("县委第三轮巡察")
    expect(phone.locator("#sent-photos")).to_contain_text("1")
    expect(phone.locator("#what-next")).not_to_have_text("")
    expect(phone.locator("#round-page")).to_have_attribute("href", f"/r/{village.round_token}")
    headings = phone.locator("h2").all_inner_texts()
    labels = phone.locator("label").all_inner_texts()
    assert not set(headings) & {label.strip() for label in labels}, "a heading is repeated as its field's label"
    assert_fits_phone(phone)
    screenshot(phone, "walk-status-360")


def test_a_withdrawn_code_leads_to_its_rounds_form(phone, village):
    answer = phone.goto(f"{village.base_url}/r/{village.revoked_token}")
    assert answer.status == 410
    with phone.expect_navigation():
        phone.locator(".instead a").click()
    assert phone.url.endswith(f"/r/{village.round_token}")
    expect(phone.locator("textarea[name=content]")).to_be_visible()


def test_a_closed_round_names_12388_and_its_channels(phone, village):
    answer = phone.goto(f"{village.base_url}/r/{village.closed_token}")
    assert answer.status == 410
    expect(phone.locator(".hotline")).to_contain_text("12388")
    expect(phone.locator("main")).to_contain_text("0000-1234567")
    expect(phone.locator("textarea[name=content]")).to_have_count(0)
    assert_fits_phone(phone)
    screenshot(phone, "walk-closed-360")
