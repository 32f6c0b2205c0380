"""Staff login: password, optional TOTP second factor, inactivity timeout and login audit.

Failed logins are audited with the name that was typed, never with the client's address.
"""
import math
import secrets
import time
from datetime import datetime, timedelta
from functools import cache

import pyotp
from flask import current_app, session
from flask_login import login_user, logout_user
from sqlalchemy import select

from reporting import audit
from reporting.access import is_admin
from reporting.extensions import db
from reporting.models import StaffUser, utcnow
from reporting.security import hash_password, password_matches, seal, unseal

INACTIVITY_LIMIT = timedelta(minutes=30)
SESSION_LIFETIME = timedelta(hours=12)  # however active: a stolen cookie does not live for ever
FREE_FAILURES = 5
MAX_DELAY = timedelta(minutes=15)
TOTP_ISSUER = "reporting"
TOTP_PENDING = "totp_pending"  # the session key of a secret being set up, sealed


class LoginFailed(Exception):
    """Wrong name, password or code; the page says only that, whichever it was."""


class LoginThrottled(LoginFailed):
    """Too many wrong passwords for this account lately: the next try must wait `seconds`."""

    def __init__(self, seconds: int):
        super().__init__("throttled")
        self.seconds = seconds


def throttle_wait(failures: int, last_failed_at: datetime | None, now: datetime) -> int:
    """Seconds before this account may try a password again: none for the first FREE_FAILURES, then a delay
    that doubles with each failure up to MAX_DELAY. A delay, not a lockout: it ends by itself, and an admin's
    password reset clears it."""
    if failures < FREE_FAILURES or last_failed_at is None:
        return 0
    delay = min(2 ** (failures - FREE_FAILURES), MAX_DELAY.total_seconds())
    return max(0, math.ceil(delay - (now - last_failed_at).total_seconds()))


def check_password(user: StaffUser | None, password: str) -> bool:
    """The password check every form uses: throttled per account, and as slow for an unknown name as a known."""
    if user is None:
        password_matches(dummy_hash(), password)
        return False
    wait = throttle_wait(user.failed_logins, user.last_failed_login_at, utcnow())
    if wait:
        password_matches(dummy_hash(), password)  # as slow as a check: the wait must not show in the timing
        raise LoginThrottled(wait)
    if password_matches(user.password_hash, password):
        user.failed_logins = 0
        return True
    count_failure(user)
    return False


def count_failure(user: StaffUser) -> None:
    """One more wrong password or code for this account; the next try waits longer (see `throttle_wait`)."""
    user.failed_logins = StaffUser.failed_logins + 1  # in SQL: tries from many workers all count
    user.last_failed_login_at = utcnow()


@cache
def dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def authenticate(username: str, password: str, code: str) -> StaffUser:
    """The account these credentials open, or LoginFailed. The account's row stays locked until the attempt is
    recorded (PostgreSQL), so that tries sent in parallel cannot all pass one throttle check or replay a code."""
    user = db.session.scalar(select(StaffUser).where(StaffUser.username == username.strip()).with_for_update())
    try:
        password_ok = check_password(user, password)
    except LoginThrottled:
        record_failure(user, "throttled")
        raise
    if user is None or not user.active or not password_ok:
        record_failure(user, "password")
        raise LoginFailed("password")
    if user.totp_secret is not None and not totp_matches(user, code):
        count_failure(user)  # a wrong code counts like a wrong password
        record_failure(user, "code")
        raise LoginFailed("code")
    return user


def record_failure(user: StaffUser | None, reason: str) -> None:
    """Audit the attempt against the account it aimed at; a name that is no account is not kept (it may be a
    password typed into the wrong field)."""
    audit.record(None, "login.failed", account=user.id if user else None,
                 username=user.username if user else None, reason=reason)
    db.session.commit()


def start_session(user: StaffUser) -> None:
    """A fresh session for a fresh login: nothing from before survives (no session fixation)."""
    session.clear()
    login_user(user)
    session.permanent = True
    session["seen_at"] = session["started_at"] = time.time()
    user.last_login_at = utcnow()
    audit.record(user, "login")
    db.session.commit()


def continue_session(user: StaffUser) -> None:
    """After the user's own password change ended every session: this one goes on, under the new epoch."""
    login_user(user)
    session["seen_at"] = time.time()


def end_session(user: StaffUser, reason: str = "logout") -> None:
    """Log out here and void every copy of this session's cookie, wherever it went."""
    user.end_sessions()
    audit.record(user, reason)
    db.session.commit()
    logout_user()
    session.clear()


def session_expired() -> str | None:
    """Why the staff session is over ("idle" for 30 minutes, "expired" after 12 hours), or None: then this
    request counts as activity."""
    now = time.time()
    session.setdefault("started_at", session.get("seen_at", now))  # a session from before this rule existed
    if now - session["started_at"] > SESSION_LIFETIME.total_seconds():
        return "expired"
    if now - session.get("seen_at", 0) > INACTIVITY_LIMIT.total_seconds():
        return "idle"
    session["seen_at"] = now
    return None


def needs_second_factor(user: StaffUser) -> bool:
    """REPORTING_REQUIRE_2FA=1 makes TOTP mandatory for admins: until set up, they only reach their account."""
    return current_app.config["REQUIRE_2FA"] and is_admin(user) and user.totp_secret is None


def pending_totp_secret(user: StaffUser) -> str:
    """The secret being set up, kept sealed in the session (never taken from a form), made once per session."""
    pending = session.get(TOTP_PENDING) or {}
    if pending.get("user") == user.id:
        return unseal(f"staff-pending:{user.id}", bytes.fromhex(pending["sealed"])).decode()
    secret = pyotp.random_base32()
    session[TOTP_PENDING] = {"user": user.id, "sealed": seal(f"staff-pending:{user.id}", secret.encode()).hex()}
    return secret


def totp_uri(user: StaffUser, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)


def enable_totp(user: StaffUser, password: str, code: str) -> bool:
    """Store the pending secret (encrypted) once the user gives their password and a code their app shows.

    Only a first secret: replacing one would let a stolen session swap the factor without any proof.
    """
    if user.totp_secret is not None or not check_password(user, password):
        db.session.commit()  # a wrong password counts towards the throttle
        return False
    secret = pending_totp_secret(user)
    step = matching_step(secret, code, None)
    if step is None:
        return False
    user.totp_secret = seal(f"staff:{user.id}", secret.encode())
    user.totp_last_step = step
    session.pop(TOTP_PENDING, None)
    audit.record(user, "totp.enabled")
    db.session.commit()
    return True


def totp_matches(user: StaffUser, code: str) -> bool:
    """A code of the window around now, newer than the last one taken: each code logs in once."""
    if user.totp_secret is None:  # callers ask only users who set one up
        raise ValueError(f"staff user {user.id} has no second factor")
    secret = unseal(f"staff:{user.id}", user.totp_secret).decode()
    step = matching_step(secret, code, user.totp_last_step)
    if step is None:
        return False
    user.totp_last_step = step
    return True


def matching_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step (of now, one before or one after) whose code is `code`, if later than `last_step`."""
    totp, code = pyotp.TOTP(secret), (code or "").strip()
    now_step = totp.timecode(datetime.now())
    for step in (now_step - 1, now_step, now_step + 1):
        if (last_step is None or step > last_step) and secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def reset_totp(user: StaffUser, actor: StaffUser | None) -> None:
    """Clear a lost second factor (an admin, or `users reset-2fa` with no actor); the account logs in anew."""
    user.totp_secret = None
    user.totp_last_step = None
    user.end_sessions()
    audit.record(actor, "totp.reset", account=user.id, username=user.username)
    db.session.commit()
