"""A leader at 1366 px in Chromium: the open work per member and the queue, staff named by their 姓名 (one of them
long, as Uyghur names written in Chinese are), each name on one line and no table wider than the page."""
from datetime import date

import pytest
from sqlalchemy import select

from tests.browser import require_chromium, screenshot, served

sync_api = require_chromium()

from reporting.extensions import db  # noqa: E402
from reporting.intake.services import submit_report  # noqa: E402
from reporting.models import Report  # noqa: E402
from reporting.rounds.services import TeamPlan  # noqa: E402
from tests.conftest import app_on_own_file  # noqa: E402
from tests.factories import make_round, make_staff, submission  # noqa: E402
from tests.queue.conftest import set_status  # noqa: E402

expect = sync_api.expect
PASSWORD = "staff password"
DESK = {"viewport": {"width": 1366, "height": 900}}
NAMES = {"leader": "李建国", "wang": "王小红", "abdu": "阿卜杜热合曼·买买提明"}
# Whether an element's text lies on one line: all its boxes (a smaller hint beside a name too) span less than one
# and a half of the tallest; a name broken onto a second line spans two.
ONE_LINE = """el => { const range = document.createRange(); range.selectNodeContents(el);
  const rects = Array.from(range.getClientRects()); if (!rects.length) return true;
  const span = Math.max(...rects.map(r => r.bottom)) - Math.min(...rects.map(r => r.top));
  return span < 1.5 * Math.max(...rects.map(r => r.height)); }"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A round of two teams; team 1's leader and two members with 姓名 hold reports, some proposed, one overdue; an
    admin holds one of the team's reports."""
    app = app_on_own_file(tmp_path_factory, "workload")
    with app.app_context():
        round_ = make_round(teams=[TeamPlan("第一巡察组", ["甲镇", "乙镇"]), TeamPlan("第二巡察组", ["丙镇"])],
                            name="2026年第一轮巡察")
        team1 = round_.teams[0]
        staff = {key: make_staff("leader" if key == "leader" else "member", [team1], username=key, password=PASSWORD)
                 for key in NAMES}
        for key, name in NAMES.items():
            staff[key].display_name = name
        for index in range(7):
            report, _receipt = submit_report(round_.round_code, submission(unit=round_.units[index % 2],
                                             content=f"第{index + 1}件：村务公开不及时，低保名单有问题。"), [])
            report.assignee_id = staff[("wang", "abdu", None)[index % 3]].id if index % 3 != 2 else None
        db.session.commit()
        reports = db.session.scalars(select(Report).order_by(Report.id)).all()
        reports[1].transfer_due_on = date(2026, 1, 10)
        reports[2].assignee_id = make_staff("admin", username="admin", password=PASSWORD).id  # held outside the team
        set_status(reports[0], "proposed")
        set_status(reports[1], "transferred")
    with served(app) as base_url:
        yield app, base_url


def test_a_leader_reads_the_open_work_per_member_and_opens_a_members_reports(site, browser):
    app, base_url = site
    page = browser.new_context(**DESK).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base_url}/staff/login")
    page.fill("input[name=username]", "leader")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    expect(page.locator("nav.staff-nav")).to_contain_text("李建国")
    for cell in page.locator("tr.report-row td:last-child").all():
        assert cell.evaluate(ONE_LINE), cell.inner_text()
    expect(page.locator("tr.report-row td:last-child").first).to_have_text("王小红")
    screenshot(page, "workload-queue-1366")
    with page.expect_navigation():
        page.click("#workload-link")
    table = page.locator("section.workload")
    expect(table).to_have_count(1)  # team 2 is not the leader's
    expect(table.locator("h2")).to_contain_text("第一巡察组")
    abdu = table.locator("tr:has-text('阿卜杜热合曼·买买提明')")
    expect(abdu.locator("td.number")).to_have_text(["2", "0", "1"])
    expect(table.locator("tr.unassigned td.number")).to_have_text(["1", "0", "0"])
    expect(table.locator("tr:has-text('admin') th")).to_have_text("admin（不在本组）")
    for cell in table.locator("th[scope=row], thead th").all():
        assert cell.evaluate(ONE_LINE), cell.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    screenshot(page, "workload-page-1366")
    with page.expect_navigation():
        abdu.locator("td.number a").first.click()
    expect(page.locator("#assignee-filter")).to_contain_text("承办人：阿卜杜热合曼·买买提明")
    expect(page.locator("tr.report-row")).to_have_count(2)
    screenshot(page, "workload-queue-filtered-1366")
    page.context.close()
