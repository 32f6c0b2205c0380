"""Open work per member (`GET /staff/workload`): for each team a leader belongs to (an admin: every team) of a round
still being worked, each member's open reports, those of them waiting for a leader's decision and those whose
transfer's answer is overdue, and the team's open reports no one is assigned to.

Two grouped queries count every team and account at once, whatever their number: the open reports by team,
assignee and status from `ix_report_team_id_status_assignee_id` alone (no report row is read), and the overdue
transfers along the partial index `ix_report_team_unanswered_due`, which holds unanswered transfers only. See
BENCHMARKS.md: read from the rows, two teams' 96,762 open reports (of 1M) took 285 ms.
"""
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from reporting.access import is_admin, visible_reports
from reporting.extensions import db
from reporting.followup.services import overdue
from reporting.models import Report, Round, StaffUser, Team, staff_team
from reporting.triage.rules import OPEN

PENDING = "proposed"  # a member's proposal waits for a leader's decision


@dataclass
class Load:
    """Open reports of one account in one team (of no one: `member` None), and how many of them wait."""

    member: StaffUser | None
    open: int = 0
    pending: int = 0
    overdue: int = 0
    in_team: bool = True  # False: an account outside the team (an admin, a former member) holds some of its reports


@dataclass
class TeamLoad:
    team: Team
    members: list[Load]
    unassigned: Load


@dataclass
class Counts:
    """The two grouped counts, keyed by (team id, assignee id or None)."""

    open: Counter
    pending: Counter
    overdue: Counter

    def load(self, team: Team, member: StaffUser | None, in_team: bool = True) -> Load:
        key = (team.id, member.id if member is not None else None)
        return Load(member, self.open[key], self.pending[key], self.overdue[key], in_team)


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


def counts(user: StaffUser, team_ids: list[int], today: date) -> Counts:
    """Open, pending and overdue reports per team and assignee, among what `user` sees."""
    found = Counts(Counter(), Counter(), Counter())
    by_status = (visible_reports(user)
                 .with_only_columns(Report.team_id, Report.assignee_id, Report.status, func.count())
                 .where(Report.team_id.in_(team_ids), Report.status.in_(OPEN))
                 .group_by(Report.team_id, Report.assignee_id, Report.status))
    for team_id, assignee_id, status, number in db.session.execute(by_status):
        found.open[team_id, assignee_id] += number
        found.pending[team_id, assignee_id] += number if status == PENDING else 0
    late = (visible_reports(user).with_only_columns(Report.team_id, Report.assignee_id, func.count())
            .where(Report.team_id.in_(team_ids), overdue(today)).group_by(Report.team_id, Report.assignee_id))
    found.overdue.update({(team_id, assignee_id): number for team_id, assignee_id, number in db.session.execute(late)})
    return found


def outsiders(found: Counts, members: dict[int, list[StaffUser]]) -> dict[tuple[int, int], StaffUser]:
    """(team id, account id) of accounts holding open reports of a team they are not an active member of (an admin,
    a former member, a disabled account), the accounts loaded in one query."""
    keys = [(team_id, assignee_id) for team_id, assignee_id in sorted(found.open, key=lambda key: (key[0], key[1] or 0))
            if assignee_id is not None and assignee_id not in {member.id for member in members[team_id]}]
    accounts = {account.id: account for account in db.session.scalars(
        select(StaffUser).where(StaffUser.id.in_({assignee_id for _, assignee_id in keys})))}
    return {key: accounts[key[1]] for key in keys}


def workload(user: StaffUser, today: date) -> list[TeamLoad]:
    """Each team `user` oversees with the open work of its members, of accounts outside it holding some, and of
    no one; `today` decides which transfers are overdue."""
    teams = worked_teams(user)
    if not teams:
        return []
    found = counts(user, [team.id for team in teams], today)
    members = members_of(teams)
    others = outsiders(found, members)
    return [TeamLoad(team, [found.load(team, member) for member in members[team.id]]
                     + [found.load(team, account, in_team=False) for (team_id, _), account in others.items()
                        if team_id == team.id], found.load(team, None))
            for team in teams]
