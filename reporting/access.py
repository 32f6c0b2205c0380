"""Who may see and do what. Every staff query for reports starts from `visible_reports`.

admin sees every round; leaders and members see the reports of their own teams only. Reports no
team has yet (the round's inbox) are for admins to route.
"""
from sqlalchemy import Select, false, select

from reporting.extensions import db
from reporting.models import Report, Round, StaffUser

DECIDING_ROLES = ("leader", "admin")


def visible_reports(user: StaffUser) -> Select:
    """SELECT of the reports `user` may see; add filters and ordering to it, never remove any."""
    query = select(Report)
    if user.role == "admin":
        return query
    team_ids = [team.id for team in user.teams]
    return query.where(Report.team_id.in_(team_ids)) if team_ids else query.where(false())


def rounds_for(user: StaffUser) -> list[Round]:
    """The rounds a user works in, newest first: all for admins, their teams' rounds for others."""
    query = select(Round).order_by(Round.starts_on.desc(), Round.id.desc())
    if user.role != "admin":
        query = query.where(Round.id.in_([team.round_id for team in user.teams]))
    return list(db.session.scalars(query))


def can_see(user: StaffUser, report: Report) -> bool:
    return user.role == "admin" or report.team_id in {team.id for team in user.teams}


def report_for(user: StaffUser, report_id: int) -> Report | None:
    """The report with this id if `user` may see it; None otherwise (the view answers 404 either way)."""
    return db.session.scalar(visible_reports(user).where(Report.id == report_id))


def decides(user: StaffUser) -> bool:
    """Leaders and admins decide clues and transfers; a member's are proposals."""
    return user.role in DECIDING_ROLES


def may_reveal_identity(user: StaffUser) -> bool:
    return user.role in DECIDING_ROLES
