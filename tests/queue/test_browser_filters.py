"""A leader at 1366 px narrows the queue with the form: received dates and 仅看未读, then pages on."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.browser import require_chromium, screenshot, served

sync_api = require_chromium()

from reporting.extensions import db  # noqa: E402
from reporting.intake.services import submit_report  # noqa: E402
from reporting.models import Report, ReportRead, StaffUser  # noqa: E402
from reporting.rounds.services import TeamPlan  # noqa: E402
from tests.conftest import app_on_own_file  # noqa: E402
from tests.factories import make_round, make_staff, submission  # noqa: E402

expect = sync_api.expect
PASSWORD = "staff password"
DAY = date(2026, 11, 10)
# Labels and filter controls whose text would wrap, one or two characters a line, in too narrow a box.
WRAPPED = """() => Array.from(document.querySelectorAll('.filters label, .filters .error'))
  .filter(el => el.getClientRects().length > 1 || el.getBoundingClientRect().height > 2.2 * parseFloat(
    getComputedStyle(el).lineHeight || '24'))
  .map(el => el.textContent.trim())"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A round whose team received 180 reports over six days, a third of them opened by the leader already."""
    app = app_on_own_file(tmp_path_factory, "filters", TESTING=False)
    with app.app_context():
        round_ = make_round(teams=[TeamPlan("第一组", ["甲单位"])], categories=["廉洁纪律", "其他"])
        leader = make_staff("leader", round_.teams, username="leader", password=PASSWORD)
        for number in range(180):
            report, _receipt = submit_report(round_.round_code, submission(
                unit=round_.units[0], content=f"第{number}件：村里修路款去向不明，请核查。"), [])
            report.received_on = DAY + timedelta(days=number % 6)
            if number % 3 == 0:
                db.session.add(ReportRead(staff_user_id=leader.id, report_id=report.id))
        db.session.commit()
    with served(app) as base_url:
        yield app, base_url


def log_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/staff/login")
    page.fill("input[name=username]", "leader")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")


def shown_ids(page) -> list[int]:
    return [int(value) for value in page.locator("tr.report-row").evaluate_all("rows => rows.map(r => r.dataset.id)")]


def test_a_leader_fills_the_dates_ticks_unread_and_pages_through_what_matches(site, page):
    app, base_url = site
    log_in(page, base_url)
    expect(page.locator("label[for=from]")).to_have_text("受理日期从")
    expect(page.locator("label[for=to]")).to_have_text("至")
    page.fill("input[name=from]", "2026-11-11")
    page.fill("input[name=to]", "2026-11-13")
    page.check("input[name=unread]")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "from=2026-11-11" in page.url and "to=2026-11-13" in page.url and "unread=1" in page.url
    expect(page.locator("#total")).to_have_count(0)  # what one has not opened is not counted
    expect(page.locator("input[name=from]")).to_have_value("2026-11-11")
    expect(page.locator("input[name=unread]")).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert page.evaluate(WRAPPED) == []
    screenshot(page, "queue-filters-dated-unread-1366")
    with app.app_context():
        leader = db.session.scalar(select(StaffUser).where(StaffUser.username == "leader"))
        read = set(db.session.scalars(select(ReportRead.report_id).where(ReportRead.staff_user_id == leader.id)))
        expected = [report.id for report in db.session.scalars(
            select(Report).where(Report.received_on.between(date(2026, 11, 11), date(2026, 11, 13)))
            .order_by(Report.received_on.desc(), Report.id.desc())) if report.id not in read]
    first_page = shown_ids(page)
    with page.expect_navigation():
        page.click("a[rel=next]")
    assert "from=2026-11-11" in page.url and "unread=1" in page.url and "before=" in page.url
    expect(page.locator("input[name=unread]")).to_be_checked()
    assert (len(first_page), first_page + shown_ids(page)) == (50, expected)


def test_a_reversed_range_is_said_on_the_form_and_fits_the_desk(site, page):
    _app, base_url = site
    log_in(page, base_url)
    page.fill("input[name=from]", "2026-11-14")
    page.fill("input[name=to]", "2026-11-11")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    expect(page.locator("#to-error-1")).to_have_text("早于起始日期，两个日期均未应用。")
    expect(page.locator("#total")).to_have_text("符合筛选条件的反映共 180 件。")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert page.evaluate(WRAPPED) == []
    screenshot(page, "queue-filters-reversed-range-1366")
