"""Staff accounts: creation, passwords and team membership."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from reporting import audit
from reporting.access import ROLES
from reporting.extensions import db
from reporting.models import StaffUser, Team, column_length
from reporting.security import hash_password
from reporting.text import clean_text

MIN_PASSWORD_LENGTH = 8
MAX_DISPLAY_NAME = column_length("display_name", StaffUser)


class AccountError(ValueError):
    """An account request that cannot be carried out; the message says why."""


def validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(_l("The password must have at least %(min)d characters.") % {"min": MIN_PASSWORD_LENGTH})


def single_line(value: str | None) -> str:
    """A name as one line: control characters gone, runs of spaces and line breaks one space, none at the ends."""
    return " ".join(clean_text(value).split())


def checked_display_name(display_name: str) -> str:
    """The 姓名 as it is kept; empty is allowed (the user name is shown instead)."""
    display_name = single_line(display_name)
    if len(display_name) > MAX_DISPLAY_NAME:
        raise AccountError(_l("The name may have at most %(max)d characters.") % {"max": MAX_DISPLAY_NAME})
    return display_name


def create_staff_user(username: str, password: str, role: str, team_ids: list[int],
                      actor: StaffUser | None = None, display_name: str = "") -> StaffUser:
    """A new account; `actor` is the admin who made it (None from the command line)."""
    if db.session.scalar(select(StaffUser.id).where(StaffUser.username == username)) is not None:
        raise AccountError(_l("The user name %(name)s is taken.") % {"name": username})
    validate_password(password)
    user = StaffUser(username=username, display_name=checked_display_name(display_name),
                     password_hash=hash_password(password), role=checked_role(role), teams=teams_by_id(team_ids))
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "account.created", account=user.id, display_name=user.display_name, role=role,
                 teams=sorted(team_ids))
    db.session.commit()
    return user


def update_staff_user(user: StaffUser, role: str, team_ids: list[int], active: bool, password: str | None,
                      actor: StaffUser, display_name: str | None = None) -> bool:
    """The admin's change of 姓名, role, teams, active flag and, when given, password; False when nothing changed.

    An account saved unchanged keeps its sessions and leaves no audit event. One only renamed keeps its
    sessions: a 姓名 grants nothing.
    """
    name = user.display_name if display_name is None else checked_display_name(display_name)
    rights_kept = (user.role, sorted(team.id for team in user.teams), user.active) == (role, sorted(team_ids), active)
    if rights_kept and password is None and name == user.display_name:
        return False
    user.display_name = name
    if not rights_kept or password is not None:
        user.role = checked_role(role)
        user.teams = teams_by_id(team_ids)
        user.active = active
        user.end_sessions()  # the account's open sessions start again under the new rules
    if password is not None:
        validate_password(password)
        user.password_hash = hash_password(password)
        user.failed_logins = 0  # a new password ends the wait of an account someone was guessing at
    audit.record(actor, "account.changed", account=user.id, display_name=name, role=role, teams=sorted(team_ids),
                 active=active, password_reset=password is not None)
    db.session.commit()
    return True


def checked_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(_l("The role must be one of %(roles)s.") % {"roles": ", ".join(ROLES)})
    return role


def teams_by_id(team_ids: list[int]) -> list[Team]:
    teams = db.session.scalars(select(Team).where(Team.id.in_(team_ids))).all()
    missing = set(team_ids) - {team.id for team in teams}
    if missing:
        raise AccountError(_l("No team with id %(ids)s.") % {"ids": ", ".join(map(str, sorted(missing)))})
    return list(teams)


def set_password(user: StaffUser, password: str) -> None:
    validate_password(password)
    user.password_hash = hash_password(password)
    user.end_sessions()
    audit.record(user, "password.changed", account=user.id)
    db.session.commit()


def load_user(session_id: str) -> StaffUser | None:
    """Flask-Login's loader: a disabled account, or a session ended since (logout, new password), is logged out."""
    user_id, _, epoch = session_id.partition(":")
    if not user_id.isdecimal() or not epoch.isdecimal():
        return None
    user = db.session.get(StaffUser, int(user_id))
    if user is None or not user.active or user.session_epoch != int(epoch):
        return None
    return user
