"""Staff login: password, optional TOTP second factor, inactivity timeout and login audit.

Failed logins are audited with the name that was typed, never with the client's address.
"""
import time
from datetime import timedelta

import pyotp
from flask import current_app, session
from flask_login import login_user, logout_user
from sqlalchemy import select

from reporting import audit
from reporting.extensions import db
from reporting.models import StaffUser, utcnow
from reporting.security import password_matches, seal, unseal

INACTIVITY_LIMIT = timedelta(minutes=30)
TOTP_ISSUER = "reporting"


class LoginFailed(Exception):
    """Wrong name, password or code; the page says only that, whichever it was."""


def authenticate(username: str, password: str, code: str) -> StaffUser:
    user = db.session.scalar(select(StaffUser).where(StaffUser.username == username.strip()))
    if user is None or not user.active or not password_matches(user.password_hash, password):
        fail(user, "password")
    if user.totp_secret is not None and not totp_matches(user, code):
        fail(user, "code")
    return user


def fail(user: StaffUser | None, reason: str):
    """Audit the attempt against the account it aimed at; a name that is no account is not kept (it may be a
    password typed into the wrong field)."""
    audit.record(None, "login.failed", account=user.id if user else None,
                 username=user.username if user else None, reason=reason)
    db.session.commit()
    raise LoginFailed(reason)


def start_session(user: StaffUser) -> None:
    """A fresh session for a fresh login: nothing from before survives (no session fixation)."""
    session.clear()
    login_user(user)
    session.permanent = True
    session["seen_at"] = time.time()
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


def session_expired() -> bool:
    """True when the staff session was idle too long; otherwise note this request as activity."""
    seen_at = session.get("seen_at", 0)
    if time.time() - seen_at > INACTIVITY_LIMIT.total_seconds():
        return True
    session["seen_at"] = time.time()
    return False


def needs_second_factor(user: StaffUser) -> bool:
    """REPORTING_REQUIRE_2FA=1 makes TOTP mandatory for admins: until set up, they only reach their account."""
    return current_app.config["REQUIRE_2FA"] and user.role == "admin" and user.totp_secret is None


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: StaffUser, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)


def enable_totp(user: StaffUser, secret: str, code: str) -> bool:
    """Store the secret (encrypted) once the user proves their app produces its codes.

    Only a first secret: replacing one would let a stolen session swap the factor without any proof.
    """
    if user.totp_secret is not None or not pyotp.TOTP(secret).verify(code.strip(), valid_window=1):
        return False
    user.totp_secret = seal(f"staff:{user.id}", secret.encode())
    audit.record(user, "totp.enabled")
    db.session.commit()
    return True


def totp_matches(user: StaffUser, code: str) -> bool:
    secret = unseal(f"staff:{user.id}", user.totp_secret).decode()
    return pyotp.TOTP(secret).verify((code or "").strip(), valid_window=1)
