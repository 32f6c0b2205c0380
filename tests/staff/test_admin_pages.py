"""The admin's pages: staff accounts with roles and teams, and the audit log."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from reporting import audit
from reporting.extensions import db
from reporting.models import AuditEvent, StaffUser
from reporting.rounds.services import TeamPlan
from reporting.security import password_matches
from tests.factories import log_in, make_round, make_staff


@pytest.mark.parametrize("path", ["/admin/users", "/admin/users/new", "/admin/audit"])
def test_only_admins_open_the_admin_pages(client, staff, path):
    log_in(client, staff["leader1"])
    assert client.get(path).status_code == 403
    log_in(client, staff["admin"])
    assert client.get(path).status_code == 200


def test_logged_out_users_are_sent_to_login(client, staff):
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_an_admin_creates_an_account_with_teams(client, post_form, staff, two_teams):
    log_in(client, staff["admin"])
    team_ids = [str(team.id) for team in two_teams.teams]
    response = post_form("/admin/users/new", {"username": "wu", "role": "leader", "team_ids": team_ids,
                                              "password": "a fine password"}, token_page="/admin/users/new")
    assert response.status_code == 302
    user = db.session.scalar(select(StaffUser).where(StaffUser.username == "wu"))
    assert user.role == "leader" and [str(team.id) for team in user.teams] == team_ids
    assert password_matches(user.password_hash, "a fine password")
    created = select(AuditEvent).where(AuditEvent.action == "account.created").order_by(AuditEvent.id.desc())
    assert db.session.scalars(created).first().actor_id == staff["admin"].id


def test_an_admin_changes_role_teams_and_disables_an_account(client, post_form, staff, two_teams):
    log_in(client, staff["admin"])
    member = staff["member1"]
    path = f"/admin/users/{member.id}"
    response = post_form(path, {"username": member.username, "role": "leader",
                                "team_ids": [str(two_teams.teams[1].id)]}, token_page=path)
    assert response.status_code == 302
    db.session.expire_all()
    assert member.role == "leader" and [t.id for t in member.teams] == [two_teams.teams[1].id]
    assert member.active is False  # the box was not ticked
    assert password_matches(member.password_hash, "staff password")


def test_a_too_short_password_is_refused_and_the_form_kept(client, post_form, staff):
    log_in(client, staff["admin"])
    response = post_form("/admin/users/new", {"username": "zheng", "role": "member", "password": "short"},
                         token_page="/admin/users/new")
    assert response.status_code == 400
    assert 'value="zheng"' in response.get_data(as_text=True)
    assert db.session.scalar(select(StaffUser).where(StaffUser.username == "zheng")) is None


def test_a_new_account_asks_for_its_password_as_required(client, post_form, staff):
    log_in(client, staff["admin"])
    page = client.get("/admin/users/new").get_data(as_text=True)
    assert "留空则不修改" not in page and '<label for="password">密码</label>' in page
    response = post_form("/admin/users/new", {"username": "qian", "role": "member"}, token_page="/admin/users/new")
    assert response.status_code == 400 and 'value="qian"' in response.get_data(as_text=True)
    assert db.session.scalar(select(StaffUser).where(StaffUser.username == "qian")) is None
    assert "留空则不修改" in client.get(f"/admin/users/{staff['member1'].id}").get_data(as_text=True)


def test_teams_are_ticked_in_boxes_with_their_round_and_closed_rounds_are_left_out(client, staff, two_teams):
    old = make_round([TeamPlan("旧组", ["戊单位"])], name="上一轮巡察", status="closed")
    keeps_old = make_staff("member", [old.teams[0]], username="zhao")
    log_in(client, staff["admin"])
    new_account = client.get("/admin/users/new").get_data(as_text=True)
    assert f'type="checkbox" value="{two_teams.teams[0].id}"' in new_account and "<select multiple" not in new_account
    assert "测试巡察 · 第一组" in new_account and "上一轮巡察" not in new_account
    kept = client.get(f"/admin/users/{keeps_old.id}").get_data(as_text=True)
    assert 'checked id="team_ids-' in kept and "上一轮巡察 · 旧组" in kept
    assert "上一轮巡察 · 旧组" in client.get("/admin/users").get_data(as_text=True)


def test_the_audit_log_filters_by_action_and_account_and_pages(client, staff):
    for index in range(120):
        audit.record(staff["leader1"], "report.viewed", round_id=None, n=index)
    audit.record(staff["member1"], "export", format="csv")
    db.session.commit()
    log_in(client, staff["admin"])
    page = client.get("/admin/audit?action=export").get_data(as_text=True)
    assert "member1" in page and "<code>report.viewed</code>" not in page
    first = client.get("/admin/audit?actor=leader1").get_data(as_text=True)
    assert first.count("<code>report.viewed</code>") == 100 and "before=" in first


def test_the_audit_log_offers_a_list_of_actions_and_a_range_of_days(client, staff):
    old, new = audit.record(staff["leader1"], "login"), audit.record(staff["leader1"], "login")
    old.at = datetime(2026, 3, 1, 15, 59, tzinfo=timezone.utc)  # 3 月 1 日 23:59, 北京时间
    new.at = datetime(2026, 3, 1, 16, 1, tzinfo=timezone.utc)  # 3 月 2 日 00:01
    db.session.commit()
    log_in(client, staff["admin"])
    page = client.get("/admin/audit").get_data(as_text=True)
    assert '<option value="login">登录</option>' in page and 'type="date" id="from"' in page
    first_day = client.get("/admin/audit?action=login&from=2026-03-01&to=2026-03-01").get_data(as_text=True)
    assert first_day.count("<td class=\"nowrap\">leader1</td>") == 1
    second_day = client.get("/admin/audit?action=login&from=2026-03-02&to=2026-03-02").get_data(as_text=True)
    assert second_day.count("<td class=\"nowrap\">leader1</td>") == 1 and "2026/3/2 00:01" in second_day
    assert "leader1" not in client.get("/admin/audit?action=login&from=2025-01-01&to=2025-12-31").get_data(True)


def test_commands_are_on_record_as_the_command_line(runner, client, staff, tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("team,unit,label\n第一组,甲单位,甲单位大门\n", encoding="utf-8")
    round_id = staff["leader1"].teams[0].round_id
    assert runner.invoke(args=["rounds", "import", str(path), "--round", str(round_id)]).exit_code == 0
    log_in(client, staff["admin"])
    page = client.get("/admin/audit?action=round.imported").get_data(as_text=True)
    assert "导入了张贴地点" in page and "命令行" in page and "l.csv" in page


@pytest.mark.parametrize("statement", ["UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event"])
def test_the_database_refuses_to_change_or_delete_audit_rows(staff, statement):
    audit.record(staff["admin"], "login")
    db.session.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        with db.session.begin_nested():
            db.session.execute(text(statement))
