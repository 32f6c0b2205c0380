"""Who may see and do what: the only place that knows the roles. Every staff query for reports starts from
`visible_reports`, and every check of a role is one of the functions below.

admin sees every round; leaders and members see the reports of their own teams only. Reports no
team has yet (待分派) are for admins to route.
"""
from flask_babel import gettext
from sqlalchemy import Select, false, select

from reporting.extensions import db
from reporting.models import Message, Report, Round, StaffUser

ADMIN, LEADER, MEMBER = "admin", "leader", "member"
ROLES = (ADMIN, LEADER, MEMBER)
DECIDING_ROLES = (LEADER, ADMIN)


class NotAllowed(PermissionError):
    """The user's role does not allow this act (on a report they can see)."""


class RoundReadOnly(Exception):
    """The round is closed and handed over: nobody changes its reports, teams, units or codes any more.
    Every page turns it into one 409 page (reporting/errors.py) that says what to do instead."""

    def __init__(self, round_: Round):
        super().__init__(f"round {round_.id} is closed and handed over")
        self.round = round_


def is_admin(user: StaffUser) -> bool:
    return user.role == ADMIN


def visible_reports(user: StaffUser) -> Select:
    """SELECT of the reports `user` may see; add filters and ordering to it, never remove any."""
    query = select(Report)
    if is_admin(user):
        return query
    team_ids = [team.id for team in user.teams]
    return query.where(Report.team_id.in_(team_ids)) if team_ids else query.where(false())


def visible_team_keys(user: StaffUser) -> list[int] | None:
    """The teams whose reports `user` sees, as tally keys; None for all (0, not routed, included)."""
    return None if is_admin(user) else [team.id for team in user.teams]


def rounds_for(user: StaffUser) -> list[Round]:
    """The rounds a user works in, newest first: all for admins, their teams' rounds for others."""
    query = select(Round).order_by(Round.starts_on.desc(), Round.id.desc())
    if not is_admin(user):
        query = query.where(Round.id.in_([team.round_id for team in user.teams]))
    return list(db.session.scalars(query))


def teams_of(user: StaffUser, round_: Round) -> list:
    """The teams of `round_` a user works for: all for admins."""
    return [team for team in round_.teams if is_admin(user) or team in user.teams]


def can_see(user: StaffUser, report: Report) -> bool:
    return is_admin(user) or report.team_id in {team.id for team in user.teams}


def report_or_404(user: StaffUser, report_id: int) -> Report:
    """The report with this id if `user` may see it; else 404, which does not tell whether it exists."""
    return db.first_or_404(visible_reports(user).where(Report.id == report_id))


def decides(user: StaffUser) -> bool:
    """Leaders and admins decide clues and transfers; a member's are proposals."""
    return user.role in DECIDING_ROLES


def oversees_team_work(user: StaffUser) -> bool:
    """Leaders (of their teams) and admins (of every team) see the open work per member and filter the queue
    by any member; a member filters by their own work only."""
    return user.role in DECIDING_ROLES


def may_reveal_identity(user: StaffUser) -> bool:
    return user.role in DECIDING_ROLES


def may_route(user: StaffUser) -> bool:
    """Only admins route reports no team has, and record items without a team."""
    return is_admin(user)


def may_follow_up(user: StaffUser) -> bool:
    """Leaders and admins record what came of clues and transfers, and chase late answers (督办)."""
    return user.role in DECIDING_ROLES


def reply_waits_for_approval(user: StaffUser, round_: Round) -> bool:
    """In a round whose replies need approval, a member's reply to the reporter is a draft (待组长审核) until a
    leader approves it; a leader's or an admin's own reply goes out at once."""
    return round_.replies_need_approval and not decides(user)


def may_approve_reply(user: StaffUser, report: Report) -> bool:
    """A leader of the report's team, or an admin, approves a member's draft reply or returns it."""
    return is_admin(user) or (user.role == LEADER and can_see(user, report))


def may_revise_reply(user: StaffUser, report: Report, draft: Message) -> bool:
    """The author of a draft a leader returned rewrites it, while the report is still theirs to see."""
    return draft.author_id == user.id and can_see(user, report)


def read_only(round_: Round) -> bool:
    """A round closed by an admin and handed over (reporting/handover) is a record: it no longer changes."""
    return round_.status == "closed" and round_.handed_over_at is not None


def check_changeable(round_: Round) -> None:
    """What every service that changes a round, or anything in it, asks first; raises RoundReadOnly."""
    if read_only(round_):
        raise RoundReadOnly(round_)


def read_only_message(error: RoundReadOnly) -> str:
    """What a command says when it is refused for a handed-over round (pages have their own 409 page)."""
    return gettext("The round %(name)s is closed and handed over: nothing in it changes any more.",
                   name=error.round.name)
