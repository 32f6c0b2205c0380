"""Reports of the two-team round (`two_teams`, `staff` in tests/conftest.py) taken to a clue or a transfer, and one
set of triaged reports with the figures it must give."""
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from reporting.followup.outcomes import COUNTS
from reporting.followup.services import record_outcome
from reporting.intake.services import rate, submit_report
from reporting.models import Report, Round
from reporting.submission.services import Origin, save_report
from reporting.triage.services import apply_action
from tests.factories import submission

LONG_AGO = date.today() - timedelta(days=60)


def received(round_: Round, unit_index: int = 0) -> Report:
    """A web report for the team of the round's unit at `unit_index` (0, 1: team 1; 2, 3: team 2)."""
    report, _receipt = submit_report(round_.round_code, submission(unit=round_.units[unit_index]), [])
    return report


def transferred(round_: Round, actor, unit_index: int = 0, due_on: date | None = LONG_AGO,
                body: str = "纪检监察机关", body_name: str = "") -> Report:
    """A report transferred by `actor` (a leader or admin), its answer due on `due_on`."""
    report = received(round_, unit_index)
    apply_action(report, actor, "transfer", {
        "body": body, "body_name": body_name, "reference": f"巡转〔2026〕{report.id}号",
        "transferred_on": (LONG_AGO - timedelta(days=30)).isoformat(),
        "due_on": due_on.isoformat() if due_on else ""})
    return report


def clue(round_: Round, actor, unit_index: int = 0) -> Report:
    report = received(round_, unit_index)
    apply_action(report, actor, "clue", {"summary": "涉嫌违规发放津贴", "disposal": "初步核实"})
    return report


@dataclass
class Triaged:
    """One set of triaged reports of `two_teams` (see `triaged`) and the figures the spec's definitions give."""

    round: Round
    reports: dict[str, Report]


# What `triaged` gives an admin (every report), by the spec's definitions.
EXPECTED = {
    "received": {"total": 10, "web": 6, "letter": 1, "visit": 1, "call": 1, "email": 1},
    "clues": 3,  # the concluded clue, the clue later transferred, team 2's clue
    "transfers": {"total": 2, "by_body": {"纪检监察机关": 1, "组织部门": 0, "宣传部门": 0, "信访部门": 0, "政法机关": 0,
                                          "县自然资源局": 1}},
    "transfers_answered": 1,
    "transfers_overdue": 1,
    "concluded": 1,
    "filed": 1,
    "out_of_scope": 1,
    "duplicates": 1,
    "undecided": 3,  # received, in review, a member's pending proposal
    "outcomes": {"cases": 1, "detained": 1, "disciplined": 2, "organisational": 0, "admonished": 3,
                 "money_yuan": 125_000},
    "satisfaction": {"satisfied": 1, "basically": 1, "unsatisfied": 1},
}
# What leader1 (team 1) and member2 (team 2) see of the same reports.
EXPECTED_TEAM2 = {"received.total": 1, "received.web": 1, "clues": 1, "transfers.total": 0, "duplicates": 0,
                  "undecided": 0, "satisfaction.satisfied": 0, "outcomes.money_yuan": 0}
EXPECTED_TEAM1 = {"received.total": 9, "received.web": 5, "clues": 2, "transfers.total": 2, "duplicates": 1,
                  "undecided": 3, "satisfaction.satisfied": 1, "outcomes.money_yuan": 125_000}


def counts(**given: int) -> dict[str, int]:
    return dict.fromkeys(COUNTS, 0) | given


def triage_set(round_: Round, staff: dict) -> Triaged:
    """A clue (concluded, rated satisfied), a clue later transferred (answered), a transfer to 其他 (overdue), a
    filed report (rated basically), one out of scope (rated unsatisfied), a duplicate, three undecided (received
    by visit, in review by email, a member's proposal by call), all team 1's; and a clue of team 2."""
    admin, leader, member = staff["admin"], staff["leader1"], staff["member1"]
    reports = {name: received(round_) for name in ("clue", "clue_transferred", "filed", "out_of_scope", "duplicate")}

    def recorded(channel: str) -> Report:
        return save_report(round_, submission(unit=round_.units[0]), [],
                           Origin(channel, date.today(), None, recorded_by=member))

    reports |= {"transfer": recorded("letter"), "received": recorded("visit"), "proposed": recorded("call"),
                "in_review": recorded("email"), "team2": received(round_, 2)}
    apply_action(reports["clue"], leader, "clue", {"summary": "线索", "disposal": "初步核实"})
    record_outcome(leader, reports["clue"], "clue", date.today(), counts(cases=1, persons=1, detained=1), 125_000)
    apply_action(reports["clue_transferred"], leader, "clue", {"summary": "线索", "disposal": "谈话函询"})
    apply_action(reports["clue_transferred"], leader, "transfer", {
        "body": "纪检监察机关", "body_name": "", "reference": "转1", "transferred_on": LONG_AGO.isoformat(),
        "due_on": (LONG_AGO + timedelta(days=10)).isoformat()})
    apply_action(reports["clue_transferred"], leader, "answer",
                 {"answer": "已立案", "answered_on": LONG_AGO.isoformat()})
    record_outcome(leader, reports["clue_transferred"], "transfer", None, counts(disciplined=2, admonished=3), 0)
    apply_action(reports["transfer"], admin, "transfer", {
        "body": "其他", "body_name": "县自然资源局", "reference": "转2", "transferred_on": LONG_AGO.isoformat(),
        "due_on": (LONG_AGO + timedelta(days=10)).isoformat()})
    apply_action(reports["filed"], leader, "file", {"reason": "已了结"})
    apply_action(reports["out_of_scope"], leader, "out_of_scope", {"reason": "不属于", "advice": "请向法院反映"})
    apply_action(reports["duplicate"], leader, "duplicate", {"original_id": str(reports["clue"].id)})
    apply_action(reports["in_review"], leader, "review", {"note": ""})
    apply_action(reports["proposed"], member, "clue", {"summary": "建议", "disposal": "初步核实"})
    apply_action(reports["team2"], admin, "clue", {"summary": "线索", "disposal": "初步核实"})
    for name, rating in (("clue", "satisfied"), ("filed", "basically"), ("out_of_scope", "unsatisfied")):
        rate(reports[name], rating, "")
    return Triaged(round_, reports)


@pytest.fixture
def triaged(two_teams, staff) -> Triaged:
    return triage_set(two_teams, staff)
