"""Staff login: passwords, a second factor, fresh sessions, idle timeout, limits and the audit of it all."""
import time

import pyotp
import pytest
from sqlalchemy import select

from reporting.extensions import db
from reporting.models import AuditEvent
from tests.factories import csrf_token, log_in, make_staff, shown_secret, with_totp


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def log_in_form(post_form, username="leader1", password="staff password", code="", next_path=None):
    path = "/staff/login" + (f"?next={next_path}" if next_path else "")
    return post_form(path, {"username": username, "password": password, "code": code})


def test_the_login_page_asks_for_name_and_password(client):
    page = client.get("/staff/login").get_data(as_text=True)
    assert 'name="username"' in page and 'name="password"' in page and "员工登录" in page


def test_a_right_password_logs_in_renews_the_session_and_is_audited(client, post_form, staff):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    response = log_in_form(post_form)
    assert response.status_code == 302 and response.headers["Location"] == "/staff/"
    with client.session_transaction() as session:
        assert "planted" not in session and session["_user_id"] == staff["leader1"].get_id()
    (event,) = events("login")
    assert event.actor_id == staff["leader1"].id


def test_the_session_cookie_is_httponly_and_samesite(client, post_form, staff):
    cookie = log_in_form(post_form).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.app_config(BASE_URL="https://jubao.example", SESSION_COOKIE_SECURE=True)
def test_the_session_cookie_is_secure_behind_https(client, post_form, staff):
    assert "Secure" in log_in_form(post_form).headers["Set-Cookie"]


@pytest.mark.parametrize(("username", "password", "kept"), [("leader1", "wrong password", "leader1"),
                                                           ("my secret pass", "staff password", None)])
def test_a_failed_login_says_little_and_is_audited_without_an_address(client, post_form, staff, username, password,
                                                                      kept):
    client.environ_base["REMOTE_ADDR"] = "192.0.2.55"
    response = log_in_form(post_form, username, password)
    assert response.status_code == 401
    assert "用户名、密码或验证码不正确" in response.get_data(as_text=True)
    (event,) = events("login.failed")
    assert event.detail["username"] == kept  # a name that is no account may be a mistyped password: not kept
    assert "192.0.2.55" not in str(event.detail) and "my secret pass" not in str(event.detail)


def test_a_disabled_account_cannot_log_in(post_form, staff):
    staff["member1"].active = False
    db.session.commit()
    assert log_in_form(post_form, "member1").status_code == 401


def test_next_leads_only_to_pages_of_this_site(post_form, staff):
    assert log_in_form(post_form, next_path="/staff/account").headers["Location"] == "/staff/account"
    assert log_in_form(post_form, next_path="https://evil.example/").headers["Location"] == "/staff/"
    assert log_in_form(post_form, next_path="//evil.example/").headers["Location"] == "/staff/"


def test_login_attempts_are_rate_limited_per_address(post_form, staff):
    """Names of no account, so that only the address's limit applies (not the per-account throttle)."""
    answers = [log_in_form(post_form, username=f"nobody{i}", password="wrong") for i in range(11)]
    assert [answer.status_code for answer in answers] == [401] * 10 + [429]
    assert int(answers[10].headers["Retry-After"]) >= 1


def test_a_login_without_csrf_token_is_refused(client, staff):
    response = client.post("/staff/login", data={"username": "leader1", "password": "staff password"})
    assert response.status_code == 400


def test_logout_ends_the_session_and_is_audited(client, post_form, staff):
    log_in_form(post_form)
    response = post_form("/staff/logout", token_page="/staff/account")
    assert response.status_code == 302
    assert client.get("/staff/account").status_code == 302
    assert len(events("logout")) == 1
    assert client.get("/staff/logout").status_code == 405


def test_logging_out_voids_every_copy_of_the_session_cookie(client, post_form, staff):
    log_in_form(post_form)
    with client.session_transaction() as session:
        copied = dict(session)
    post_form("/staff/logout", token_page="/staff/account")
    with client.session_transaction() as session:
        session.update(copied)  # an attacker replays the cookie they copied
    response = client.get("/staff/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_a_password_change_ends_other_sessions_but_not_this_one(client, post_form, staff, app):
    other = app.test_client()
    log_in(other, staff["member1"])
    log_in(client, staff["member1"])
    post_form("/staff/account", {"current": "staff password", "new": "new password 2", "confirm": "new password 2"},
              token_page="/staff/account")
    assert client.get("/staff/account").status_code == 200
    assert other.get("/staff/account").status_code == 302


def test_an_idle_session_ends_after_thirty_minutes(client, staff):
    log_in(client, staff["member1"])
    assert client.get("/staff/account").status_code == 200
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 31 * 60
    response = client.get("/staff/account")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    assert len(events("logout.idle")) == 1


def test_an_account_with_a_second_factor_needs_its_code(post_form, staff):
    secret = with_totp(staff["admin"])
    assert log_in_form(post_form, "admin").status_code == 401
    assert log_in_form(post_form, "admin", code="000000").status_code == 401
    assert log_in_form(post_form, "admin", code=pyotp.TOTP(secret).now()).status_code == 302


def test_a_user_sets_up_the_second_factor_and_it_is_stored_encrypted(client, post_form, staff):
    user = staff["leader1"]
    log_in(client, user)
    secret = shown_secret(client)
    assert shown_secret(client) == secret  # the same key on every view until it is set up
    refused = post_form("/staff/account/totp", {"password": "staff password", "code": "123456"},
                        token_page="/staff/account")
    assert refused.status_code == 400
    no_password = post_form("/staff/account/totp", {"password": "wrong", "code": pyotp.TOTP(secret).now()},
                            token_page="/staff/account")
    assert no_password.status_code == 400
    accepted = post_form("/staff/account/totp", {"password": "staff password", "code": pyotp.TOTP(secret).now()},
                         token_page="/staff/account")
    assert accepted.status_code == 302
    db.session.expire_all()
    assert user.totp_secret is not None and secret.encode() not in user.totp_secret
    assert len(events("totp.enabled")) == 1


def test_a_second_factor_once_set_cannot_be_replaced_from_a_session(client, post_form, staff):
    user = staff["leader1"]
    with_totp(user)
    before = user.totp_secret
    log_in(client, user)
    secret = pyotp.random_base32()
    response = post_form("/staff/account/totp", {"password": "staff password", "secret": secret,
                                                 "code": pyotp.TOTP(secret).now()}, token_page="/staff/account")
    assert response.status_code == 400
    db.session.expire_all()
    assert user.totp_secret == before


@pytest.mark.app_config(REQUIRE_2FA=True)
def test_with_2fa_required_an_admin_without_it_reaches_only_the_account_page(client, staff):
    log_in(client, staff["admin"])
    response = client.get("/admin/users")
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/account")
    assert client.get("/staff/account").status_code == 200
    log_in(client, staff["leader1"])
    assert client.get("/staff/account").status_code == 200


def test_a_user_changes_their_password(client, post_form, staff):
    log_in(client, staff["member1"])
    wrong = post_form("/staff/account", {"current": "not it", "new": "new password 1", "confirm": "new password 1"},
                      token_page="/staff/account")
    assert wrong.status_code == 400
    right = post_form("/staff/account", {"current": "staff password", "new": "new password 1",
                                         "confirm": "new password 1"}, token_page="/staff/account")
    assert right.status_code == 302
    assert log_in_form(post_form, "member1", "new password 1").status_code == 302


def test_a_new_account_through_the_command_can_log_in(post_form, two_teams):
    make_staff("member", [two_teams.teams[0]], username="zhou", password="long enough")
    assert log_in_form(post_form, "zhou", "long enough").status_code == 302


@pytest.mark.app_config(PROXY_COUNT=1, WTF_CSRF_ENABLED=True)
def test_behind_a_tls_proxy_a_login_with_the_browsers_referer_passes_and_one_without_is_refused(client, staff):
    """nginx says https (X-Forwarded-Proto): Flask-WTF then wants a same-origin Referer, which the site's own
    referrer policy must let the browser send. A POST from elsewhere, or with none, stays refused."""
    proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    page = client.get("/staff/login", headers=proxied)
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert '<meta name="referrer" content="same-origin">' in page.get_data(as_text=True)
    fields = {"csrf_token": csrf_token(page.get_data(as_text=True)), "username": "leader1",
              "password": "staff password"}
    for referer in (None, "https://evil.example/staff/login"):
        headers = proxied | ({"Referer": referer} if referer else {})
        assert client.post("/staff/login", data=fields, headers=headers).status_code == 400
    answer = client.post("/staff/login", data=fields, headers=proxied | {"Referer": "https://localhost/staff/login"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/staff/"
