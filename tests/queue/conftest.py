"""Two rounds, three teams, staff of each role, and a helper that files reports the way residents do."""
from dataclasses import dataclass

import pytest

from reporting import tally
from reporting.extensions import db
from reporting.intake.services import submit_report
from reporting.models import Report, ReportRead, Round, StaffUser, Unit
from reporting.rounds.services import TeamPlan
from reporting.submission.services import Submission
from tests.factories import make_round, make_staff

REPORTER_NAME = "欧阳春花"
REPORTER_PHONE = "13987654321"


@dataclass
class World:
    current: Round  # two teams: 第一组 (units 甲, 乙) and 第二组 (units 丙, 丁)
    earlier: Round  # one team: 老组 (unit 戊)
    admin: StaffUser
    leader1: StaffUser  # leads team 1 of the current round
    member2: StaffUser  # team 2 of the current round
    member_both: StaffUser  # team 2 of the current round and the earlier round's team

    def unit(self, name: str) -> Unit:
        return next(unit for round_ in (self.current, self.earlier) for unit in round_.units if unit.name == name)


@pytest.fixture
def world(app) -> World:
    current = make_round(teams=[TeamPlan("第一组", ["甲单位", "乙单位"]), TeamPlan("第二组", ["丙单位", "丁单位"])],
                         categories=["廉洁纪律", "工程建设", "其他"])
    earlier = make_round(teams=[TeamPlan("老组", ["戊单位"])], name="上一轮巡察", categories=["作风问题"])
    team1, team2 = current.teams
    return World(
        current=current,
        earlier=earlier,
        admin=make_staff("admin"),
        leader1=make_staff("leader", [team1]),
        member2=make_staff("member", [team2]),
        member_both=make_staff("member", [team2, earlier.teams[0]]),
    )


def file_report(round_: Round, unit: Unit | None = None, content: str = "村里低保名额被村干部亲属占用。",
                named: bool = False, **fields) -> Report:
    """A web report through the round's own code, as the intake form submits it; it keeps the tally."""
    values = {
        "anonymous": not named, "reporter_name": REPORTER_NAME if named else "",
        "reporter_phone": REPORTER_PHONE if named else "", "unit_id": unit.id if unit else None,
        "category": "", "subject_name": "", "subject_unit": "", "subject_position": "", "content": content,
    }
    report, _receipt = submit_report(round_.round_code, Submission(**(values | fields)), [])
    return report


def set_status(report: Report, status: str) -> None:
    """Change a report's status the way triage does: the tally moves with it."""
    before = report.status
    report.status = status
    tally.move(report, report.team_id, before)
    db.session.commit()


def mark_read(user: StaffUser, report: Report) -> None:
    db.session.add(ReportRead(staff_user_id=user.id, report_id=report.id))
    db.session.commit()


@pytest.fixture
def file():
    return file_report
