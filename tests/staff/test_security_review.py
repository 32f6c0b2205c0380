"""The security review's findings on the staff side, one test (or more) each: login throttle, enumeration,
the second factor, sessions, caching, the audit trail and the error log."""
import re
import time
from datetime import datetime, timedelta, timezone

import pyotp
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from reporting.extensions import db
from reporting.models import AuditEvent
from reporting.staff import auth
from tests.factories import csrf_token, log_in, with_totp

RIGHT = "staff password"


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def log_in_form(client, username="leader1", password=RIGHT, code="", address="192.0.2.1"):
    client.environ_base["REMOTE_ADDR"] = address
    page = client.get("/staff/login").get_data(as_text=True)
    return client.post("/staff/login", data={"csrf_token": csrf_token(page), "username": username,
                                             "password": password, "code": code})


# Login: a per-account throttle with a growing delay --------------------------------------------------------

@pytest.mark.parametrize(("failures", "seconds_ago", "wait"), [
    (0, 0, 0), (4, 0, 0), (5, 0, 1), (6, 0, 2), (10, 0, 32), (10, 30, 2), (10, 40, 0), (30, 0, 900)])
def test_the_wait_doubles_after_five_failures_up_to_fifteen_minutes(failures, seconds_ago, wait):
    now = datetime(2026, 12, 2, 12, tzinfo=timezone.utc)
    assert auth.throttle_wait(failures, now - timedelta(seconds=seconds_ago), now) == wait


def test_wrong_passwords_from_many_addresses_slow_the_account_down_and_the_wait_then_lets_the_owner_in(
        client, staff):
    for i in range(15):
        assert log_in_form(client, password=f"guess {i}", address=f"198.51.100.{i}").status_code == 401
    db.session.expire_all()
    assert staff["leader1"].failed_logins >= 5  # tries during a wait are refused unchecked
    refused = log_in_form(client, address="203.0.113.7")  # the right password, at once: it must wait too
    assert refused.status_code == 401 and "最多 15 分钟" in refused.get_data(as_text=True)
    user = staff["leader1"]
    db.session.expire_all()
    user.last_failed_login_at = datetime.now(timezone.utc) - timedelta(minutes=16)  # the wait is over
    db.session.commit()
    assert log_in_form(client, address="203.0.113.7").status_code == 302
    db.session.expire_all()
    assert user.failed_logins == 0


def test_a_throttled_account_answers_like_a_name_that_is_no_account(client, staff):
    """The throttle must not tell which names exist: same status, same words, for ten wrong tries of each."""
    def answers(username: str) -> list[tuple[int, str]]:
        pages = [log_in_form(client, username=username, password="wrong", address=f"198.51.100.{i}")
                 for i in range(10)]
        return [(page.status_code, page.get_data(as_text=True).split('role="alert"')[1][:200]) for page in pages]

    assert answers("leader1") == answers("nobody at all")


def test_an_admins_password_reset_ends_the_wait(client, staff):
    from reporting.staff.services import update_staff_user
    user = staff["leader1"]
    user.failed_logins, user.last_failed_login_at = 20, datetime.now(timezone.utc)
    db.session.commit()
    update_staff_user(user, role=user.role, team_ids=[team.id for team in user.teams], active=True,
                      password="a new password", actor=staff["admin"])
    assert log_in_form(client, password="a new password").status_code == 302


def test_the_current_password_check_on_the_account_page_is_throttled_too(client, staff):
    log_in(client, staff["member1"])
    answers = []
    for guess in [f"guess {i}" for i in range(6)] + [RIGHT]:
        page = client.get("/staff/account").get_data(as_text=True)
        answers.append(client.post("/staff/account", data={
            "csrf_token": csrf_token(page), "current": guess, "new": "a new password", "confirm": "a new password"}))
    assert all(answer.status_code == 400 for answer in answers)
    assert "密码错误次数过多" in answers[-1].get_data(as_text=True)


# Enumeration: an unknown name costs a password hash like a known one ---------------------------------------

def test_an_unknown_name_is_checked_against_a_dummy_hash(client, staff, monkeypatch):
    verified = []
    monkeypatch.setattr(auth, "password_matches", lambda stored, typed: verified.append(stored) or False)
    assert log_in_form(client, username="no such person").status_code == 401
    assert log_in_form(client, username="leader1", password="wrong").status_code == 401
    assert len(verified) == 2 and verified[0] == auth.dummy_hash()


# The second factor -------------------------------------------------------------------------------------------

def test_a_code_logs_in_once_and_is_refused_when_replayed(app, staff):
    secret = with_totp(staff["admin"])
    code = pyotp.TOTP(secret).now()
    first, second = app.test_client(), app.test_client()
    assert log_in_form(first, "admin", code=code).status_code == 302
    assert log_in_form(second, "admin", code=code).status_code == 401


def test_setting_up_ignores_a_posted_secret_and_a_bad_one_is_no_500(client, staff):
    log_in(client, staff["leader1"])
    page = client.get("/staff/account").get_data(as_text=True)
    mine = pyotp.random_base32()
    for secret in (mine, "!!!!"):
        answer = client.post("/staff/account/totp", data={
            "csrf_token": csrf_token(page), "password": RIGHT, "secret": secret, "code": pyotp.TOTP(mine).now()})
        assert answer.status_code == 400
    db.session.expire_all()
    assert staff["leader1"].totp_secret is None


def test_an_admin_clears_a_lost_second_factor_and_it_is_audited(client, staff):
    member = staff["member1"]
    with_totp(member)
    log_in(client, staff["admin"])
    page = client.get(f"/admin/users/{member.id}").get_data(as_text=True)
    assert "清除第二重验证" in page
    answer = client.post(f"/admin/users/{member.id}/reset-2fa", data={"csrf_token": csrf_token(page)})
    assert answer.status_code == 302
    db.session.expire_all()
    assert member.totp_secret is None
    (event,) = events("totp.reset")
    assert (event.actor_id, event.detail["account"]) == (staff["admin"].id, member.id)


def test_only_admins_clear_a_second_factor(client, staff):
    log_in(client, staff["leader1"])
    page = client.get("/staff/account").get_data(as_text=True)
    assert client.post(f"/admin/users/{staff['member1'].id}/reset-2fa",
                       data={"csrf_token": csrf_token(page)}).status_code == 403


def test_the_command_clears_a_second_factor_and_it_is_audited(runner, staff):
    with_totp(staff["member1"])
    result = runner.invoke(args=["users", "reset-2fa", "member1"])
    assert result.exit_code == 0 and "cleared" in result.output
    db.session.expire_all()
    assert staff["member1"].totp_secret is None and len(events("totp.reset")) == 1
    assert runner.invoke(args=["users", "reset-2fa", "nobody"]).exit_code != 0


# Sessions and caching -------------------------------------------------------------------------------------

def test_a_session_ends_after_twelve_hours_however_active(client, staff):
    log_in(client, staff["member1"])
    with client.session_transaction() as session:
        session["started_at"] = time.time() - 12 * 3600 - 60
    answer = client.get("/staff/")
    assert answer.status_code == 302 and "/staff/login" in answer.headers["Location"]
    assert len(events("logout.expired")) == 1


def test_a_session_from_before_the_twelve_hour_rule_goes_on(client, staff):
    log_in(client, staff["member1"])
    with client.session_transaction() as session:
        del session["started_at"]
    assert client.get("/staff/").status_code == 200


@pytest.mark.parametrize("path", ["/staff/", "/staff/stats", "/staff/account", "/staff/reports/new",
                                  "/admin/audit", "/admin/users", "/admin/rounds", "/staff/login"])
def test_staff_and_admin_pages_are_not_stored_by_any_cache(client, staff, path):
    log_in(client, staff["admin"])
    assert client.get(path).headers["Cache-Control"] == "no-store"


# The audit trail and the error log ---------------------------------------------------------------------------

def test_truncate_cannot_empty_the_audit_trail_on_postgresql(app, staff):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite has none")
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text("TRUNCATE audit_event"))
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) >= 0


def test_a_failing_statement_logs_no_typed_value(app, staff, monkeypatch):
    """Neither SQLAlchemy's parameters nor PostgreSQL's DETAIL (the failing row) reach the error log."""
    assert db.engine.hide_parameters
    with pytest.raises(DatabaseError) as failed:
        db.session.execute(text("INSERT INTO staff_user (id, username) VALUES (:id, :name)"),
                           {"id": staff["admin"].id, "name": "王小明的密码"})
    db.session.rollback()
    logged = []
    monkeypatch.setattr(app.logger, "error", lambda message, *args, **kwargs: logged.append(message % args))
    with app.test_request_context("/staff/login", method="POST"):
        app.log_exception((type(failed.value), failed.value, failed.value.__traceback__))
    assert "INSERT INTO staff_user" in logged[0] and "王小明的密码" not in logged[0]


def test_a_name_with_nul_is_a_failed_login_not_a_500(client, staff):
    assert log_in_form(client, username="leader1\x00").status_code in (302, 401)
    assert log_in_form(client, username="x\x00y", password="a\x00b").status_code == 401
    log_in(client, staff["admin"])
    assert client.get("/admin/audit?actor=a%00b&action=%00").status_code == 200
    assert re.search(r"<h1>", client.get("/staff/?q=%00&category=%00").get_data(as_text=True))
