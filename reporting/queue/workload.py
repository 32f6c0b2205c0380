"""Open work per member (`GET /staff/workload`): for each team a leader leads (an admin: every team of a round still
being worked), each member's open reports, those of them waiting for a leader's decision and those whose transfer's
answer is overdue, and the team's open reports no one is assigned to.

All the counts come from one grouped query that finds reports along `ix_report_assignee_id_id` for the members
and along `ix_report_team_id_status_id` for the unassigned: its cost grows with the members' work and the teams'
backlog, never with the whole table.
"""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, or_, select

from reporting.access import is_admin, visible_reports
from reporting.extensions import db
from reporting.followup.services import overdue
from reporting.models import Report, Round, StaffUser, Team, staff_team
from reporting.triage.rules import OPEN

PENDING = "proposed"  # a member's proposal waits for a leader's decision


@dataclass
class Load:
    """Open reports of one member in one team (or of no one: `member` None), and how many of them wait."""

    member: StaffUser | None
    open: int = 0
    pending: int = 0
    overdue: int = 0


@dataclass
class TeamLoad:
    team: Team
    members: list[Load] = field(default_factory=list)
    unassigned: Load = field(default_factory=lambda: Load(None))


def worked_teams(user: StaffUser) -> list[Team]:
    """The teams whose work `user` oversees: a leader's own, an admin's every one, of rounds begun and not yet
    handed over (a round closed to residents still has reports to finish)."""
    query = (select(Team).join(Round, Team.round_id == Round.id)
             .where(Round.status != "draft", Round.handed_over_at.is_(None))
             .order_by(Round.starts_on.desc(), Round.id.desc(), Team.position))
    if not is_admin(user):
        query = query.where(Team.id.in_([team.id for team in user.teams]))
    return list(db.session.scalars(query))


def members_of(teams: list[Team]) -> dict[int, list[StaffUser]]:
    """Active staff of each team, by the name staff read."""
    rows = db.session.execute(
        select(staff_team.c.team_id, StaffUser).join(StaffUser, staff_team.c.staff_user_id == StaffUser.id)
        .where(staff_team.c.team_id.in_([team.id for team in teams]), StaffUser.active)
        .order_by(StaffUser.shown_name, StaffUser.id))
    found: dict[int, list[StaffUser]] = {team.id: [] for team in teams}
    for team_id, member in rows:
        found[team_id].append(member)
    return found


def open_counts(user: StaffUser, team_ids: list[int], member_ids: list[int], today: date) -> dict:
    """(team id, assignee id or None) -> (open, pending, overdue), in one grouped query over what `user` sees."""
    query = (visible_reports(user).with_only_columns(
        Report.team_id, Report.assignee_id, func.count(),
        func.sum(case((Report.status == PENDING, 1), else_=0)), func.sum(case((overdue(today), 1), else_=0)))
        .where(Report.team_id.in_(team_ids), Report.status.in_(OPEN),
               or_(Report.assignee_id.in_(member_ids), Report.assignee_id.is_(None)))
        .group_by(Report.team_id, Report.assignee_id))
    return {(team_id, assignee_id): tuple(int(number or 0) for number in numbers)
            for team_id, assignee_id, *numbers in db.session.execute(query)}


def workload(user: StaffUser, today: date) -> list[TeamLoad]:
    """Each team `user` oversees with its members' open work; `today` decides which transfers are overdue."""
    teams = worked_teams(user)
    if not teams:
        return []
    members = members_of(teams)
    counts = open_counts(user, [team.id for team in teams],
                         sorted({member.id for staff in members.values() for member in staff}), today)
    return [TeamLoad(team, [Load(member, *counts.get((team.id, member.id), ())) for member in members[team.id]],
                     Load(None, *counts.get((team.id, None), ())))
            for team in teams]
