"""Issue 14's walk-through for staff, in Chromium at 1366 px: the queue, a report's page and the recording form as
leaders and members read them. The admin's pages are in test_browser_walkthrough_admin.py, on the same site.

Each test checks the DOM (what wraps, what is folded, what a reload sends) and takes a screenshot to look at
(REPORTING_SCREENSHOTS names the folder).
"""
from datetime import timedelta

from sqlalchemy import func, select

from tests.browser import require_chromium, screenshot, wrapped_text

sync_api = require_chromium()

from reporting.extensions import db  # noqa: E402
from reporting.models import AuditEvent, today_in  # noqa: E402

expect = sync_api.expect

# The queue's columns that must stay on one line: 编号, 受理日期 (and its age and channel), 承办人.
ONE_LINE_CELLS = "tr.report-row td:nth-child(1), tr.report-row td:nth-child(2), tr.report-row td:nth-child(8)"


def test_the_queue_keeps_its_numbers_dates_and_assignees_on_one_line(walk, desk):
    page = desk("wang_zuzhang")
    page.goto(f"{walk.base_url}/staff/")
    headers = page.locator("thead th").all_inner_texts()
    assert headers[1] == "受理日期" and headers[7] == "承办人", headers
    assert page.locator("tr.report-row").count() == walk.reports
    assert wrapped_text(page, ONE_LINE_CELLS) == []
    expect(page.locator(f"tr.report-row[data-id='{walk.ids['指派二']}'] td:nth-child(8)")).to_have_text("li_zuyuan")
    expect(page.locator("#total")).to_have_text(f"符合筛选条件的反映共 {walk.reports} 件。")
    expect(page.locator(".counts li").first).to_have_text("已受理：7")  # a Chinese colon, no space
    screenshot(page, "queue-leader")


def test_typing_a_reports_number_in_the_search_opens_it(walk, desk):
    page = desk("wang_zuzhang")
    page.goto(f"{walk.base_url}/staff/")
    wanted = walk.ids["实名"]
    page.fill("input[name=q]", str(wanted))
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert page.url == f"{walk.base_url}/staff/reports/{wanted}"
    expect(page.locator("h1")).to_have_text(f"第 {wanted} 号反映")


def test_a_member_ticks_only_the_reports_assigned_to_them(walk, desk):
    page = desk("li_zuyuan")
    page.goto(f"{walk.base_url}/staff/")
    page.check("input[name=assignee][value=me]")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "assignee=me" in page.url
    shown = {int(row) for row in page.locator("tr.report-row").evaluate_all("rows => rows.map(r => r.dataset.id)")}
    assert shown == set(walk.assigned_to_member)
    expect(page.locator("input[name=assignee][value=me]")).to_be_checked()
    expect(page.locator("#total")).to_have_text(f"符合筛选条件的反映共 {len(shown)} 件。")
    assert wrapped_text(page, ONE_LINE_CELLS) == []
    screenshot(page, "queue-assigned-to-me")


def test_possible_duplicates_show_without_opening_a_fold(walk, desk):
    page = desk("wang_zuzhang")
    first, second = walk.ids["重复一"], walk.ids["重复二"]
    page.goto(f"{walk.base_url}/staff/reports/{second}")
    suggestions = page.locator("#possible-duplicates")
    expect(suggestions).to_be_visible()
    assert suggestions.evaluate("el => el.closest('details') === null")
    expect(suggestions.locator(f"a[href='/staff/reports/{first}']")).to_be_visible()
    screenshot(page, "report-duplicates")


def test_a_proposal_names_its_fields_and_the_history_names_each_act(walk, desk):
    page = desk("wang_zuzhang")
    proposed = walk.ids["建议移交"]
    for _ in range(2):  # each view is an audit event, never a line of the history
        page.goto(f"{walk.base_url}/staff/reports/{proposed}")
    proposal = dict(zip(page.locator("#proposal dl.detail dt").all_inner_texts(),
                        page.locator("#proposal dl.detail dd").all_inner_texts(), strict=True))
    start = walk.today - timedelta(days=1)
    assert proposal["接收单位"] == "纪检监察机关"
    assert proposal["移交日期"] == f"{start.year}年{start.month}月{start.day}日", proposal
    assert "反馈期限" in proposal and "文号" in proposal, proposal
    history = [line.split(" · ")[2] for line in page.locator("#history li").all_inner_texts()]
    assert history and not [line for line in history if line.startswith("查看了反映") and "身份" not in line]
    assert any(line.startswith("建议移交") for line in history), history
    assert not [line for line in history if "确定或建议" in line], history
    screenshot(page, "report-proposal")


def test_revealing_an_identity_leaves_nothing_a_reload_posts_again(walk, desk):
    page = desk("wang_zuzhang")
    named = walk.ids["实名"]
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{walk.base_url}/staff/reports/{named}")
    with page.expect_navigation() as shown:
        page.click("button:has-text('显示身份')")
    assert shown.value.request.method == "GET" and shown.value.request.redirected_from.method == "POST"
    expect(page.locator("#identity")).to_have_text("李四 · 13912345678")
    screenshot(page, "report-identity")
    assert reveals(walk, named) == 1
    page.reload()
    assert page.url.split("#")[0] == f"{walk.base_url}/staff/reports/{named}"
    assert (reveals(walk, named), dialogs) == (1, [])


def reveals(walk, report_id: int) -> int:
    with walk.app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "identity.revealed", AuditEvent.report_id == report_id))


def test_the_recording_form_speaks_to_staff_and_starts_at_today(walk, desk):
    page = desk("wang_zuzhang")
    page.goto(f"{walk.base_url}/staff/reports/new")
    expect(page.locator("input[name=received_on]")).to_have_value(today_in("Asia/Shanghai").isoformat())
    expect(page.locator("label[for=channel]")).to_have_text("反映方式")
    expect(page.locator("label[for=reporter_name]")).to_have_text("反映人姓名")
    assert "电子邮件" in page.locator("select[name=channel] option").all_inner_texts()
    assert "您的" not in page.locator("main").inner_text()
    screenshot(page, "record-offline")
