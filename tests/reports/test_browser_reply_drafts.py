"""The approve flow in Chromium at 1366 px: a member's reply waits as a draft, the leader finds it from the queue,
edits and approves it, and the resident reads it on /status (360 px) only then."""
import pytest

from tests.browser import PHONE, assert_fits_phone, require_chromium, screenshot, served

sync_api = require_chromium()

from reporting.intake.services import submit_report  # noqa: E402
from reporting.rounds.services import TeamPlan  # noqa: E402
from tests.conftest import app_on_own_file  # noqa: E402
from tests.factories import make_round, make_staff, submission  # noqa: E402

expect = sync_api.expect
PASSWORD = "staff password"
DESK = {"viewport": {"width": 1366, "height": 900}}
DRAFT = "您反映的村道修缮款问题，我组已转交镇纪委核实，请留意本页后续答复。"
EDITED = "您反映的村道修缮款问题，我组已移交镇纪委核实，核实结果将在本页答复。"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A round whose replies need approval, a web report of team 1 (with its receipt), a member and a leader."""
    app = app_on_own_file(tmp_path_factory, "drafts", TESTING=False)
    with app.app_context():
        round_ = make_round(teams=[TeamPlan("第一巡察组", ["城关镇人民政府"]), TeamPlan("第二巡察组", ["县水利局"])],
                            name="县委第三轮巡察", replies_need_approval=True)
        report, receipt = submit_report(round_.round_code, submission(
            unit=round_.units[0], content="村道修缮款去向不明，村民多次询问无人答复。"), [])
        make_staff("member", round_.teams[:1], username="zhangwei", password=PASSWORD)
        make_staff("leader", round_.teams[:1], username="liming", password=PASSWORD)
        make_staff("admin", username="wangfang", password=PASSWORD)
        report_path, round_path = f"/staff/reports/{report.id}", f"/admin/rounds/{round_.id}"
    with served(app) as base_url:
        yield base_url, report_path, receipt, round_path


def staff_page(browser, base_url: str, username: str):
    page = browser.new_context(**DESK).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base_url}/staff/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    return page


def fits_desk(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= DESK["viewport"]["width"], page.url


def status_text(browser, base_url: str, receipt: str) -> str:
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{base_url}/status")
    page.fill("input[name=receipt]", receipt)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert_fits_phone(page)
    screenshot(page, "reply-drafts-status")
    return page.locator("main").inner_text()


def test_a_leader_finds_edits_and_approves_a_members_draft(browser, site):
    base_url, report_path, receipt, _ = site
    member = staff_page(browser, base_url, "zhangwei")
    member.goto(base_url + report_path)
    expect(member.locator("#kind-hint")).to_contain_text("须经本组组长审核通过")
    member.select_option("select[name=kind]", "reply")
    member.fill("textarea[name=body]", DRAFT)
    with member.expect_navigation():
        member.click("form:has(select[name=kind]) button[type=submit]")
    expect(member.locator(".review-waiting .draft-mark")).to_have_text("待组长审核")
    expect(member.locator("#history")).to_contain_text("提交回复待审核")
    expect(member.locator(".review-form")).to_have_count(0)
    fits_desk(member)
    screenshot(member, "reply-drafts-member")
    assert DRAFT not in status_text(browser, base_url, receipt)

    leader = staff_page(browser, base_url, "liming")
    expect(leader.locator("#waiting-replies")).to_have_text("待审核的回复 1 条")
    fits_desk(leader)
    screenshot(leader, "reply-drafts-queue")
    with leader.expect_navigation():
        leader.click("#waiting-replies a")
    expect(leader.locator("tr.report-row .draft-mark")).to_have_text("回复待审核")
    with leader.expect_navigation():
        leader.click("tr.report-row a")
    form = leader.locator(".review-form")
    expect(form.locator("textarea")).to_have_value(DRAFT)
    fits_desk(leader)
    screenshot(leader, "reply-drafts-leader")
    form.locator("textarea").fill(EDITED)
    with leader.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(leader.locator(".flashes, main")).to_contain_text("回复已审核通过")
    expect(leader.locator(".review-approved")).to_contain_text("liming 于")
    expect(leader.locator("#history")).to_contain_text("审核通过回复")
    expect(leader.locator("#history")).to_contain_text(DRAFT)  # the draft as written stays in the history
    screenshot(leader, "reply-drafts-approved")
    shown = status_text(browser, base_url, receipt)
    assert EDITED in shown and DRAFT not in shown


def test_a_member_revises_the_draft_a_leader_returned(browser, site):
    base_url, report_path, receipt, _ = site
    first, revised, note = "已转交镇纪委。", "您反映的问题我组正在核实，核实后在本页答复。", "不要写转交了哪个单位。"
    member = staff_page(browser, base_url, "zhangwei")
    member.goto(base_url + report_path)
    member.select_option("select[name=kind]", "reply")
    member.fill("textarea[name=body]", first)
    with member.expect_navigation():
        member.click("form:has(select[name=kind]) button[type=submit]")

    leader = staff_page(browser, base_url, "liming")
    leader.goto(base_url + report_path)
    waiting = leader.locator(".review-waiting")
    waiting.locator("summary").click()
    waiting.locator("textarea[name=note]").fill(note)
    with leader.expect_navigation():
        waiting.locator("button.secondary").click()

    member.goto(base_url + "/staff/")
    expect(member.locator("tr.report-row .returned-mark")).to_have_text("回复被退回")  # found from the queue
    with member.expect_navigation():
        member.click("tr.report-row a")
    returned = member.locator(".review-returned", has_text=first)
    expect(returned.locator(".review-note")).to_have_text(note)
    textarea = returned.locator("textarea[name=body]")
    expect(textarea).to_have_value(first)
    fits_desk(member)
    screenshot(member, "reply-drafts-returned")
    textarea.fill(revised)
    with member.expect_navigation():
        returned.locator("button[type=submit]").click()
    expect(member.locator(".flashes, main")).to_contain_text("修改后的回复待组长审核")
    expect(member.locator(".review-waiting", has_text=revised).locator(".draft-mark")).to_have_text("待组长审核")
    expect(member.locator("#history")).to_contain_text("修改被退回的回复后重新提交审核")
    assert revised not in status_text(browser, base_url, receipt)

    leader.goto(base_url + report_path)
    form = leader.locator(".review-waiting .review-form")
    expect(form.locator("textarea")).to_have_value(revised)
    with leader.expect_navigation():
        form.locator("button[type=submit]").click()
    screenshot(leader, "reply-drafts-revised-approved")
    assert revised in status_text(browser, base_url, receipt)


def test_the_round_page_offers_the_setting_and_says_drafts_stay_drafts(browser, site):
    base_url, _, _, round_path = site
    admin = staff_page(browser, base_url, "wangfang")
    admin.goto(base_url + round_path)
    setting = admin.locator("#replies-need-approval")
    expect(setting.locator("input[type=checkbox]")).to_be_checked()
    expect(setting).to_contain_text("关闭此项不会自动发出已在等待审核的草稿")
    fits_desk(admin)
    setting.scroll_into_view_if_needed()
    screenshot(admin, "reply-drafts-round")
