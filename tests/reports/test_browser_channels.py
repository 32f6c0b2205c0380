"""Recording a visit in Chromium at 1366 px: the page shows the chosen channel's own fields only, takes a PDF scan
beside the text, and the report's page lists what was recorded."""
import pytest

from tests.browser import require_chromium, screenshot, served

sync_api = require_chromium()

from reporting.rounds.services import TeamPlan  # noqa: E402
from tests.conftest import app_on_own_file  # noqa: E402
from tests.factories import make_round, make_staff  # noqa: E402
from tests.reports.test_scans import SCAN  # noqa: E402

PASSWORD = "staff password"
DESK = {"viewport": {"width": 1366, "height": 900}}
# Elements narrower than two characters of text while holding more than two: Chinese wrapping a character a line.
SQUEEZED = """() => Array.from(document.querySelectorAll('main label, main legend, main p, main dt, main dd, main a'))
  .filter(el => el.getClientRects().length > 0 && el.textContent.trim().length > 2)
  .filter(el => el.getBoundingClientRect().width < 2.5 * parseFloat(getComputedStyle(el).fontSize))
  .map(el => el.textContent.trim())"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    app = app_on_own_file(tmp_path_factory, "channels")
    with app.app_context():
        round_ = make_round(teams=[TeamPlan("第一巡察组", ["城关镇人民政府", "县教育局"])])
        make_staff("member", round_.teams, username="member", password=PASSWORD)
    with served(app) as base_url:
        yield base_url


@pytest.fixture
def page(browser, site):
    context = browser.new_context(**DESK)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{site}/staff/login")
    page.fill("input[name=username]", "member")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    yield page
    context.close()


def test_a_visit_is_recorded_with_its_own_fields_and_a_pdf_scan(page, site, tmp_path):
    page.goto(f"{site}/staff/reports/new")
    visit, call = page.locator("#visit-fields"), page.locator("#call-fields")
    sync_api.expect(visit).to_be_hidden()  # a letter by default: neither group
    sync_api.expect(call).to_be_hidden()
    page.select_option("#channel", "call")
    sync_api.expect(call).to_be_visible()
    sync_api.expect(visit).to_be_hidden()
    page.select_option("#channel", "visit")
    sync_api.expect(visit).to_be_visible()
    sync_api.expect(call).to_be_hidden()
    assert page.locator("#visit-fields legend").inner_text() == "来访登记"
    page.fill("#visitors", "6")
    page.fill("#receiving_officer", "李接待")
    page.select_option("#unit_id", label="城关镇人民政府")
    page.fill("#content", "群众集体来访，反映城关镇征地补偿款发放不到位。")
    scan = tmp_path / "来访材料.pdf"
    scan.write_bytes(SCAN)
    page.set_input_files("#attachments", str(scan))
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert page.evaluate(SQUEEZED) == []
    screenshot(page, "channels-visit-form-1366")
    with page.expect_navigation():
        page.click("main form button[type=submit]")  # not the navigation's 退出
    assert "/staff/reports/" in page.url, page.inner_text("main")
    assert page.locator("#visitors").inner_text() == "6 · 集体访"
    assert page.locator("#receiving-officer").inner_text() == "李接待"
    assert page.locator(".thumbnails .download a").inner_text() == "附件 1（PDF）"
    assert page.evaluate(SQUEEZED) == []
    screenshot(page, "channels-visit-report-1366")


def test_without_script_every_group_shows_under_its_legend(browser, site):
    context = browser.new_context(**DESK, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/staff/login")
    page.fill("input[name=username]", "member")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    page.goto(f"{site}/staff/reports/new")
    assert page.locator("#visit-fields").is_visible() and page.locator("#call-fields").is_visible()
    screenshot(page, "channels-form-no-script-1366")
    context.close()
