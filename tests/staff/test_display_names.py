"""Staff display names (姓名): set by the admin's form and `users create --display-name`, and shown, escaped,
wherever staff read who did or holds something; the user name still logs in."""
import csv
import io

import pytest
from sqlalchemy import select

from reporting.extensions import db
from reporting.handover.texts import messages_text
from reporting.intake.services import submit_report
from reporting.models import AuditEvent, StaffUser
from reporting.reports.services import add_message
from reporting.triage.services import apply_action
from tests.factories import log_in, submission

NAME = "张<i>三"  # a 姓名 that would be markup if a page forgot to escape it
SHOWN = "张&lt;i&gt;三"


@pytest.fixture
def named(staff):
    """member1 is 张<i>三; leader1 has no 姓名 and is named by the user name."""
    staff["member1"].display_name = NAME
    db.session.commit()
    return staff


def user_named(name: str) -> StaffUser | None:
    return db.session.scalar(select(StaffUser).where(StaffUser.username == name))


def test_the_name_shown_is_the_display_name_else_the_user_name_in_python_and_in_sql(named):
    assert (named["member1"].shown_name, named["leader1"].shown_name) == (NAME, "leader1")
    shown = dict(db.session.execute(select(StaffUser.username, StaffUser.shown_name)).all())
    assert shown["member1"] == NAME and shown["leader1"] == "leader1"


def worked_report(two_teams, staff):
    """A report of team 1 that member1 proposed as a clue, noted on and was assigned by the leader."""
    report, _receipt = submit_report(two_teams.round_code, submission(True, two_teams.units[0]), [])
    apply_action(report, staff["member1"], "clue", {"summary": "涉嫌违规发放津贴", "disposal": "初步核实"})
    add_message(staff["member1"], report, "note", "先核实。")
    apply_action(report, staff["leader1"], "assign", {"assignee": str(staff["member1"].id)})
    return report


def test_the_report_page_names_staff_by_their_display_names_escaped(client, named, two_teams):
    report = worked_report(two_teams, named)
    log_in(client, named["leader1"])
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    assert f"<dt>承办人</dt><dd>{SHOWN}</dd>" in page  # the assignee
    assert f'<option value="{named["member1"].id}">{SHOWN}</option>' in page  # the assignee picker
    assert f"内部备注（仅工作人员可见） · {SHOWN} ·" in page  # the note's author
    proposal = page.split('id="proposal"')[1].split("</section>")[0]
    assert SHOWN in proposal  # who proposes
    history = page.split('id="history"')[1]
    assert f"· {SHOWN} ·" in history and f'<dt>承办人</dt><dd class="typed">{SHOWN}</dd>' in history  # actor; assignee
    assert NAME not in page and "member1" not in page


def test_the_queue_overdue_list_ledger_and_audit_log_name_the_assignee_and_actor(client, named, two_teams):
    report = worked_report(two_teams, named)
    apply_action(report, named["leader1"], "approve", {})
    apply_action(report, named["leader1"], "transfer", {"body": "纪检监察机关", "reference": "县巡察〔2026〕3号",
                                                        "transferred_on": "2026-01-02", "due_on": "2026-01-10"})
    log_in(client, named["leader1"])
    queue = client.get("/staff/").get_data(as_text=True)
    assert f'<td class="nowrap">{SHOWN}</td>' in queue
    overdue = client.get("/staff/transfers/overdue").get_data(as_text=True)
    assert f'<span class="hint assignee">承办人：{SHOWN}</span>' in overdue
    ledger = client.get("/staff/export.csv?sheet=台账", buffered=True).get_data().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(ledger)))
    assert [row["承办人"] for row in rows] == [NAME]
    assert f"<span>{SHOWN}</span>" not in queue  # nothing double-wrapped: the page is read by people
    log_in(client, named["admin"])
    audit_log = client.get("/admin/audit").get_data(as_text=True)
    assert f'<td class="nowrap">{SHOWN}</td>' in audit_log and '<td class="nowrap">leader1</td>' in audit_log
    by_name = client.get("/admin/audit", query_string={"actor": NAME}).get_data(as_text=True)
    assert '<td class="nowrap">leader1</td>' not in by_name and f'<td class="nowrap">{SHOWN}</td>' in by_name
    by_user_name = client.get("/admin/audit?actor=member1").get_data(as_text=True)
    assert f'<td class="nowrap">{SHOWN}</td>' in by_user_name


def test_the_navigation_names_the_user_and_the_handover_names_the_author(client, named, two_teams):
    report = worked_report(two_teams, named)
    log_in(client, named["member1"])
    assert f'/staff/account">{SHOWN}</a>' in client.get("/staff/").get_data(as_text=True)
    assert f"· {NAME} ·" in messages_text(report.messages, "Asia/Shanghai", {})


def test_the_admin_sets_a_display_name_on_a_new_account_cleaned_to_one_line(client, post_form, staff):
    log_in(client, staff["admin"])
    response = post_form("/admin/users/new", {"username": "wangwu", "display_name": "  王\n 五 ", "role": "member",
                                              "password": "a fine password"}, token_page="/admin/users/new")
    assert response.status_code == 302
    assert user_named("wangwu").display_name == "王 五"
    listing = client.get("/admin/users").get_data(as_text=True)
    assert '<td class="nowrap">王 五</td>' in listing and ">wangwu</a>" in listing  # both: the user name still matters
    assert '<td class="nowrap">—</td>' in listing  # an account without one says so


def test_a_display_name_over_50_characters_is_refused_and_the_form_kept(client, post_form, staff):
    log_in(client, staff["admin"])
    too_long = "名" * 51
    response = post_form("/admin/users/new", {"username": "chen", "display_name": too_long, "role": "member",
                                              "password": "a fine password"}, token_page="/admin/users/new")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "不能超过 50 个字。" in page and f'value="{too_long}"' in page
    assert user_named("chen") is None
    path = f"/admin/users/{staff['member1'].id}"
    response = post_form(path, {"username": "member1", "display_name": too_long, "role": "member",
                                "team_ids": [str(team.id) for team in staff["member1"].teams], "active": "y"},
                         token_page=path)
    assert response.status_code == 400
    db.session.expire_all()
    assert staff["member1"].display_name == ""


def test_renaming_an_account_is_audited_and_keeps_its_sessions(client, post_form, staff):
    member = staff["member1"]
    epoch = member.session_epoch
    log_in(client, staff["admin"])
    path = f"/admin/users/{member.id}"
    edit = client.get(path).get_data(as_text=True)
    assert "用户名：member1" in edit and 'id="display_name"' in edit
    response = post_form(path, {"username": "member1", "display_name": "赵六", "role": "member",
                                "team_ids": [str(team.id) for team in member.teams], "active": "y"}, token_page=path)
    assert response.status_code == 302
    db.session.expire_all()
    assert (member.display_name, member.session_epoch, member.role) == ("赵六", epoch, "member")
    changed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "account.changed")).one()
    assert changed.detail["display_name"] == "赵六" and changed.detail["account"] == member.id
    assert "<h1>赵六</h1>" in client.get(path).get_data(as_text=True)


def test_the_user_name_still_logs_in_not_the_display_name(client, post_form, named):
    refused = post_form("/staff/login", {"username": NAME, "password": "staff password"})
    assert refused.status_code == 401
    assert post_form("/staff/login", {"username": "member1", "password": "staff password"}).status_code == 302


def test_users_create_takes_a_display_name(runner, app):
    result = runner.invoke(args=["users", "create", "zhaoliu", "--role", "member", "--display-name", " 赵六 ",
                                 "--password-stdin"], input="a long password\n")
    assert result.exit_code == 0, result.output
    assert user_named("zhaoliu").display_name == "赵六"
    refused = runner.invoke(args=["users", "create", "qianqi", "--role", "member", "--display-name", "名" * 51,
                                  "--password-stdin"], input="a long password\n")
    assert refused.exit_code != 0 and "姓名不能超过 50 个字" in refused.output
    assert user_named("qianqi") is None
