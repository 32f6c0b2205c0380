"""Reports of the two-team round (`two_teams`, `staff` in tests/conftest.py) taken to a clue or a transfer."""
from datetime import date, timedelta

from reporting.intake.services import submit_report
from reporting.models import Report, Round
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
