"""Issue 14's walk-through for administrators, in Chromium at 1366 px, on the site test_browser_walkthrough.py walks
first: a round's page (time zone, status buttons, codes revoked and restored, teams renamed and units moved), the
staff accounts and the audit log. Each test checks the DOM and takes a screenshot (REPORTING_SCREENSHOTS).
"""
from datetime import timedelta

from sqlalchemy import select

from tests.browser import require_chromium, screenshot, wrapped_text

sync_api = require_chromium()

from reporting.extensions import db  # noqa: E402
from reporting.models import QrCode, StaffUser, Team, Unit  # noqa: E402

expect = sync_api.expect


def the(walk, model, **where):
    """One row of the site's database, read outside any request."""
    with walk.app.app_context():
        return db.session.scalars(select(model).filter_by(**where)).one()


def test_a_rounds_page_names_its_time_zone_and_offers_only_the_acts_its_status_allows(walk, desk):
    page = desk("admin")
    page.goto(f"{walk.base_url}/admin/rounds/{walk.round_id}")
    expect(page.locator("select[name=timezone] option:checked")).to_have_text("北京时间")
    expect(page.locator("button:has-text('立即停止受理')")).to_have_count(1)
    screenshot(page, "admin-round-open")
    page.goto(f"{walk.base_url}/admin/rounds/{walk.draft_round_id}")
    expect(page.locator("#round-status")).to_have_text("未开始受理（草稿或未到受理日期）")
    expect(page.locator("button:has-text('立即停止受理')")).to_have_count(0)
    expect(page.locator("button:has-text('开始受理')")).to_have_count(1)
    screenshot(page, "admin-round-draft")


def test_revoking_a_code_asks_why_refuses_its_picture_and_can_be_undone(walk, desk):
    page = desk("admin")
    round_url = f"{walk.base_url}/admin/rounds/{walk.round_id}"
    page.goto(round_url)
    code = the(walk, QrCode, label="某某镇人民政府大门口宣传栏")
    row = page.locator(f"#codes tr:has-text('{code.label}')")
    png = walk.base_url + row.locator("a:text-is('PNG')").get_attribute("href")
    revoke = row.locator("button:has-text('停用')")
    assert revoke.evaluate("el => getComputedStyle(el).color") != "rgb(255, 255, 255)"  # was white on white
    expect(row.locator("label[for^=reason-]")).to_have_text("停用原因")
    revoke.click()  # no reason: the browser keeps the form
    assert page.url == round_url and row.locator("input[name=reason]").evaluate("el => el.validity.valueMissing")
    row.locator("input[name=reason]").fill("张贴点已拆除")
    with page.expect_navigation():
        revoke.click()
    expect(row).to_have_class("revoked")
    expect(row).to_contain_text("已停用（张贴点已拆除）")
    assert page.request.get(png).status == 410
    expect(row.locator("a:text-is('PNG')")).to_have_count(0)
    screenshot(page, "admin-round-revoked")
    with page.expect_navigation():
        row.locator("button:text-is('恢复使用')").click()
    expect(row).not_to_have_class("revoked")
    expect(row.locator("input[name=reason]")).to_be_visible()
    assert page.request.get(png).status == 200


def test_a_team_is_renamed_and_a_unit_moved_to_another_team_through_the_page(walk, desk):
    page = desk("admin")
    page.goto(f"{walk.base_url}/admin/rounds/{walk.round_id}")
    first, second = the(walk, Team, name="第一巡察组"), the(walk, Team, name="第二巡察组")
    team = page.locator(f"h3#team-{second.id} + details")
    team.locator("summary").click()
    team.locator("input[name=name]").fill("第二巡察组（教育卫生）")
    with page.expect_navigation():
        team.locator("button:has-text('改名')").click()
    expect(page.locator(f"h3#team-{second.id}")).to_have_text("第二巡察组（教育卫生）")
    unit = the(walk, Unit, name="县卫生健康局")
    actions = page.locator(f"li#unit-{unit.id} details")
    actions.locator("summary").click()
    actions.locator("select[name=team_id]").select_option(str(first.id))
    with page.expect_navigation():
        actions.locator("button:has-text('调整')").click()
    expect(page.locator(f"xpath=//h3[@id='team-{first.id}']/following-sibling::ul[1]/li[@id='unit-{unit.id}']")) \
        .to_be_visible()
    assert the(walk, Unit, id=unit.id).team_id == first.id
    screenshot(page, "admin-round-teams")


def test_the_account_form_ticks_teams_by_round_and_asks_a_new_account_for_its_password(walk, desk):
    page = desk("admin")
    page.goto(f"{walk.base_url}/admin/users/new")
    expect(page.locator("label[for=password]")).to_have_text("密码")
    assert "留空则不修改" not in page.locator("main").inner_text()
    assert page.locator("select[multiple]").count() == 0
    teams = page.locator("fieldset.checkboxes label").all_inner_texts()
    assert "2026年第二轮巡察 · 第三巡察组" in teams and "2026年第一轮巡察 · 第一巡察组" in teams, teams
    assert page.locator("fieldset.checkboxes input[type=checkbox]").count() == len(teams)
    screenshot(page, "admin-user-new")
    member = the(walk, StaffUser, username="li_zuyuan")
    page.goto(f"{walk.base_url}/admin/users/{member.id}")
    page.locator("fieldset.checkboxes label:has-text('第三巡察组')").click()  # one click, no Ctrl
    with page.expect_navigation():
        page.click("main form button[type=submit]:has-text('保存')")
    expect(page.locator("main")).to_contain_text("已保存")
    with walk.app.app_context():
        kept = {team.name for team in db.session.get(StaffUser, member.id).teams}
    assert kept == {"第一巡察组", "第三巡察组"}, kept
    page.goto(f"{walk.base_url}/admin/users")
    expect(page.locator("tr:has-text('li_zuyuan')")).to_contain_text("2026年第二轮巡察 · 第三巡察组")
    screenshot(page, "admin-users")


def test_the_audit_log_picks_an_action_from_a_list_and_a_range_of_days(walk, desk):
    page = desk("admin")
    page.goto(f"{walk.base_url}/admin/audit")
    assert wrapped_text(page, "tbody td:nth-child(1), tbody td:nth-child(2)") == []
    screenshot(page, "admin-audit")
    page.select_option("select#action", "triage.assign")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    actions = page.locator("tbody td:nth-child(3)").all_inner_texts()
    assert len(actions) == len(walk.assigned_to_member) and all("指定了承办人" in text for text in actions), actions
    page.fill("input#from", (walk.today + timedelta(days=1)).isoformat())
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    expect(page.locator("tbody tr")).to_have_count(0)
    page.fill("input#from", walk.today.isoformat())
    page.fill("input#to", walk.today.isoformat())
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    expect(page.locator("tbody tr")).to_have_count(len(walk.assigned_to_member))
    assert f"from={walk.today.isoformat()}" in page.url
    screenshot(page, "admin-audit-filtered")
