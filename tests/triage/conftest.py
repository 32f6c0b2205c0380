"""A round of two teams, its staff, and reports made through the resident's own service."""
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from reporting.extensions import db
from reporting.intake.services import submit_report
from reporting.models import AuditEvent, Report, ReportTally, Round
from reporting.rounds.services import TeamPlan
from reporting.submission.services import Submission
from reporting.triage.services import apply_action
from tests.factories import make_round, make_staff


def two_team_round() -> Round:
    return make_round(teams=[TeamPlan("第一组", ["甲村", "乙村"]), TeamPlan("第二组", ["丙村"])])


@pytest.fixture
def round_(app) -> Round:
    return two_team_round()


@pytest.fixture
def staff(round_):
    """admin; leader and member of team 1; other: a member of team 2 only."""
    team1, team2 = round_.teams
    return SimpleNamespace(admin=make_staff("admin"), leader=make_staff("leader", [team1]),
                           member=make_staff("member", [team1]), other=make_staff("member", [team2]))


def new_report(round_: Round, unit=None, content: str = "村干部优亲厚友，低保名额被亲属占用。",
               subject_name: str = "", subject_unit: str = "") -> Report:
    """A web report through the round's own code: routed by its unit's team, unrouted without a unit."""
    submission = Submission(anonymous=True, reporter_name="", reporter_phone="", unit_id=unit.id if unit else None,
                            category="", subject_name=subject_name, subject_unit=subject_unit, subject_position="",
                            content=content)
    report, _receipt = submit_report(round_.round_code, submission, [])
    return report


@pytest.fixture
def report(round_) -> Report:
    """A report received by team 1."""
    return new_report(round_, round_.units[0])


def act(report: Report, actor, action: str, **fields: str) -> Report:
    apply_action(report, actor, action, fields)
    return report


def events(report: Report, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.report_id == report.id, AuditEvent.action == action).order_by(AuditEvent.id)
    ))


def kept_tally(round_id: int) -> dict[tuple[int, str], int]:
    total = func.sum(ReportTally.count)
    rows = db.session.execute(select(ReportTally.team_key, ReportTally.status, total)
                              .where(ReportTally.round_id == round_id)
                              .group_by(ReportTally.team_key, ReportTally.status).having(total != 0))
    return {(team_key, status): int(count) for team_key, status, count in rows}


def counted_tally(round_id: int) -> dict[tuple[int, str], int]:
    """What the tally must say: SELECT team, status, count(*) ... GROUP BY over the reports themselves."""
    team_key = func.coalesce(Report.team_id, 0)
    rows = db.session.execute(select(team_key, Report.status, func.count())
                              .where(Report.round_id == round_id).group_by(team_key, Report.status))
    return {(key, status): count for key, status, count in rows}
