"""Staff in Chromium over real TLS: log in, route and triage a report, save admin forms unchanged, follow a
transfer through 督办 to its outcome, log out.

Over HTTPS Flask-WTF also demands a same-origin Referer on every staff POST; a `no-referrer` policy made
every one of them fail with 400 while the tests, over plain HTTP, passed. CSRF stays on here.
"""
import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.browser import DESK, STAFF_PASSWORD, log_in, require_chromium, served

sync_api = require_chromium()

from reporting import create_app  # noqa: E402
from reporting.extensions import db  # noqa: E402
from reporting.intake.services import submit_report  # noqa: E402
from reporting.models import DEFAULT_TIMEZONE, AuditEvent, Report, Round, StaffUser, today_in  # noqa: E402
from reporting.rounds.services import TeamPlan  # noqa: E402
from tests.conftest import app_config, migrate  # noqa: E402
from tests.factories import make_round, make_staff, submission  # noqa: E402

expect = sync_api.expect


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The app over HTTPS (a self-signed certificate), with a two-team round whose notice and list were
    written as an import writes them, a report no unit routes, an admin and a leader of two teams."""
    tmp_path = tmp_path_factory.mktemp("https")
    url = f"sqlite:///{tmp_path / 'https.sqlite'}"
    migrate(url, tmp_path)
    app = create_app(app_config(url, tmp_path) | {"TESTING": False, "SESSION_COOKIE_SECURE": True})
    with app.app_context():
        round_ = make_round(teams=[TeamPlan("第一组", ["甲单位"]), TeamPlan("第二组", ["乙单位"])], level="省级",
                            notice="<p>受理<strong>范围</strong>：</p><ul><li>第一条</li></ul>",
                            categories=["廉洁纪律", "群众纪律", "其他"])
        submit_report(round_.round_code, submission(content="不确定单位：村里修路款去向不明。"), [])
        submit_report(round_.round_code, submission(unit=round_.units[0], content="甲单位违规发放津贴。"), [])
        submit_report(round_.round_code, submission(unit=round_.units[1], content="乙单位挪用扶贫资金。"), [])
        make_staff("admin", username="admin", password=STAFF_PASSWORD)
        make_staff("leader", round_.teams, username="leader", password=STAFF_PASSWORD)
        make_staff("member", round_.teams[:1], username="member", password=STAFF_PASSWORD)
    with served(app, tls_folder=tmp_path) as base_url:
        yield app, base_url


def decide(page, action: str, **fields) -> None:
    """Open the action's part of the report page, fill it in and send it; the page says it was saved."""
    part = f"details:has(input[name=action][value={action}])"
    page.click(f"{part} > summary")
    for name, value in fields.items():
        selector = f"{part} [name={name}]"
        if page.locator(selector).evaluate("el => el.tagName") == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    with page.expect_navigation():
        page.click(f"{part} button[type=submit]")
    expect(page.locator("body")).to_contain_text("已保存")


def test_an_admin_logs_in_routes_triages_and_logs_out_over_https(site, page):
    app, base_url = site
    assert base_url.startswith("https://")
    log_in(page, base_url, "admin")
    expect(page.locator("#unrouted")).to_contain_text("1 件反映待分派")
    with page.expect_navigation():
        page.click("#unrouted a")
    with page.expect_navigation():
        page.click("tr.report-row a")
    with app.app_context():
        team2 = db.session.scalars(select(Round)).one().teams[1]
        report_id = db.session.scalars(select(Report.id).where(Report.team_id.is_(None))).one()
    decide(page, "route", team_id=str(team2.id))
    decide(page, "review", note="先了解修路款的拨付情况。")
    with app.app_context():
        report = db.session.get(Report, report_id)
        assert (report.team_id, report.status) == (team2.id, "in_review")
    with page.expect_navigation():
        page.click("form[action$='/staff/logout'] button")
    assert page.url.startswith(f"{base_url}/staff/login")
    assert page.goto(f"{base_url}/staff/").url.startswith(f"{base_url}/staff/login")


def snapshot(app) -> dict:
    """Everything an admin form could change, as stored."""
    with app.app_context():
        round_ = db.session.scalars(select(Round)).one()
        leader = db.session.scalars(select(StaffUser).where(StaffUser.username == "leader")).one()
        return {
            "round": {column.name: str(getattr(round_, column.name)) for column in Round.__table__.columns},
            "leader": [leader.role, [team.id for team in leader.teams], leader.active, leader.session_epoch,
                       leader.password_hash],
            "audit events": db.session.scalar(select(func.count()).select_from(AuditEvent)),
        }


@pytest.mark.parametrize("path, form", [
    ("/admin/rounds/{round_id}", "form:has(textarea[name=categories])"),
    ("/admin/users/{leader_id}", "form:has(select[name=role])"),
])
def test_an_admin_form_saved_unchanged_changes_nothing(site, page, path, form):
    app, base_url = site
    with app.app_context():
        ids = {"round_id": db.session.scalars(select(Round.id)).one(),
               "leader_id": db.session.scalars(select(StaffUser.id).where(StaffUser.username == "leader")).one()}
    log_in(page, base_url, "admin")
    before = snapshot(app)
    for _ in range(2):  # twice: each save used to nest the categories one level deeper
        page.goto(base_url + path.format(**ids))
        with page.expect_navigation():
            page.click(f"{form} button[type=submit]")
        expect(page.locator("body")).to_contain_text("没有改动")
    assert json.dumps(snapshot(app), ensure_ascii=False) == json.dumps(before, ensure_ascii=False)
    page.goto(base_url + path.format(**ids))
    if "rounds" in path:
        assert page.input_value("textarea[name=categories]") == "廉洁纪律\n群众纪律\n其他"


def test_a_member_reads_why_a_leader_returned_the_proposal(site, browser):
    _, base_url = site
    member, leader = (browser.new_context(**DESK).new_page() for _ in range(2))
    log_in(member, base_url, "member")
    with member.expect_navigation():
        member.click("tr.report-row:has-text('甲单位违规发放津贴') a")
    report_url = member.url
    decide(member, "clue", summary="涉嫌违规发放津贴", disposal="初步核实")
    log_in(leader, base_url, "leader")
    leader.goto(report_url)
    expect(leader.locator("#proposal")).to_contain_text("member 提议：问题线索")
    expect(leader.locator("#proposal")).to_contain_text("涉嫌违规发放津贴")
    decide(leader, "return", note="证据不足，请先调取发放名册。")
    member.goto(f"{base_url}/staff/")
    expect(member.locator("tr.report-row .returned-mark")).to_have_count(1)
    member.goto(report_url)
    expect(member.locator("#returned")).to_contain_text("leader")
    expect(member.locator("#returned")).to_contain_text("证据不足，请先调取发放名册。")
    for page in (member, leader):
        page.context.close()


def test_a_leader_transfers_chases_and_records_the_outcome_over_https(site, page):
    """The follow-through forms are POSTs of their own: each must pass the HTTPS Referer check too."""
    app, base_url = site
    today = today_in(DEFAULT_TIMEZONE)  # the office's day, already tomorrow in UTC's evening
    transferred_on, due_on = today - timedelta(days=60), today - timedelta(days=30)
    log_in(page, base_url, "leader")
    with page.expect_navigation():
        page.click("tr.report-row:has-text('乙单位挪用扶贫资金') a")
    report_url = page.url
    decide(page, "transfer", body="纪检监察机关", reference="巡移〔2026〕3号",
           transferred_on=transferred_on.isoformat(), due_on=due_on.isoformat())
    page.goto(f"{base_url}/staff/transfers/overdue")
    row = page.locator("tr.overdue-row:has-text('巡移〔2026〕3号')")
    expect(row.locator(".days-overdue")).to_have_text("30")
    with page.expect_navigation():
        row.locator("a:has-text('督办函')").click()
    page.fill("input[name=sent_on]", today.isoformat())
    page.fill("input[name=reference]", "督〔2026〕1号")
    with page.expect_navigation():
        page.click("form:has(input[name=sent_on]) button[type=submit]")
    expect(page.locator("body")).to_contain_text("已保存")
    expect(page.locator("tr.overdue-row:has-text('巡移〔2026〕3号') .reminders")).to_have_text("1")
    page.goto(report_url)
    with page.expect_navigation():
        page.click("a[href$='/outcomes/transfer']")
    page.fill("input[name=concluded_on]", today.isoformat())
    page.fill("input[name=cases]", "2")
    with page.expect_navigation():
        page.click("form:has(input[name=cases]) button[type=submit]")
    expect(page.locator("body")).to_contain_text("已保存")
    expect(page.locator(".outcome[data-kind=transfer]")).to_contain_text("2")
    with app.app_context():
        report = db.session.scalars(select(Report).where(Report.content == "乙单位挪用扶贫资金。")).one()
        assert report.status == "concluded" and len(report.reminders) == 1
