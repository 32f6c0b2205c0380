"""The follow-through's services against the database: transfers checked against the round's bodies, outcomes
that conclude, reminders counted, and the overdue list in order, in scope and in pages."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from reporting.access import NotAllowed
from reporting.extensions import db
from reporting.followup import services
from reporting.followup.outcomes import OutcomeRefused
from reporting.models import AuditEvent, Report
from reporting.triage.rules import InvalidFields, public_status
from reporting.triage.services import apply_action
from tests.factories import make_staff, tallied
from tests.followup.conftest import LONG_AGO, clue, received, transferred

COUNTS = {"cases": 1, "persons": 2, "detained": 0, "disciplined": 2, "organisational": 1, "admonished": 3}
TODAY = date.today()


def audit_of(report: Report, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.report_id == report.id,
                                                            AuditEvent.action == action)))


def test_a_new_round_has_the_default_bodies_and_rank_table(two_teams):
    assert two_teams.receiving_bodies[:2] == ["纪检监察机关", "组织部门"]
    assert two_teams.rank_bodies["县处级"] == "组织部门"


@pytest.mark.parametrize("role", ["leader1", "member1"])
def test_a_transfer_or_a_proposal_of_one_must_name_a_body_of_the_round(two_teams, staff, role):
    report = received(two_teams)
    fields = {"body": "县纪委监委", "transferred_on": "2026-03-02"}
    with pytest.raises(InvalidFields) as refused:
        apply_action(report, staff[role], "transfer", fields)
    assert set(refused.value.errors) == {"body"} and report.status == "received"
    with pytest.raises(InvalidFields) as refused:
        apply_action(report, staff[role], "transfer", fields | {"body": "其他"})
    assert set(refused.value.errors) == {"body_name"}
    apply_action(report, staff[role], "transfer", fields | {"body": "其他", "body_name": "县自然资源局"})
    assert report.status in ("transferred", "proposed")


def test_approving_a_transfer_checks_the_body_against_the_list_as_it_is_then(two_teams, staff):
    report = received(two_teams)
    apply_action(report, staff["member1"], "transfer", {"body": "宣传部门", "transferred_on": "2026-03-02"})
    two_teams.receiving_bodies = ["纪检监察机关"]
    db.session.commit()
    with pytest.raises(InvalidFields):
        apply_action(report, staff["leader1"], "approve", {})
    assert report.status == "proposed"


def test_a_concluded_outcome_of_a_transfer_concludes_the_report_and_moves_the_tally(two_teams, staff):
    report = transferred(two_teams, staff["leader1"])
    team = report.team_id
    services.record_outcome(staff["leader1"], report, "transfer", date(2026, 2, 1), COUNTS, 125_000)
    assert report.status == "concluded" and public_status(report.status) == "concluded"
    assert (tallied(two_teams.id, team, "transferred"), tallied(two_teams.id, team, "concluded")) == (0, 1)
    (event,) = audit_of(report, "outcome.recorded")
    assert event.detail == {"kind": "transfer", "concluded_on": "2026-02-01", **COUNTS, "money_yuan": 125_000}


def test_figures_recorded_again_replace_the_outcome_and_keep_both_in_the_history(two_teams, staff):
    report = transferred(two_teams, staff["admin"])
    services.record_outcome(staff["admin"], report, "transfer", None, COUNTS, 0)
    assert report.status == "transferred"  # not yet concluded
    services.record_outcome(staff["admin"], report, "transfer", date(2026, 2, 1), COUNTS | {"cases": 4}, 10)
    (outcome,) = report.outcomes
    assert (outcome.cases, outcome.money_yuan, report.status) == (4, 10, "concluded")
    assert len(audit_of(report, "outcome.recorded")) == 2


def test_the_clue_of_a_report_since_transferred_has_its_own_outcome(two_teams, staff):
    report = clue(two_teams, staff["leader1"])
    apply_action(report, staff["leader1"], "transfer", {"body": "纪检监察机关", "transferred_on": "2026-03-02"})
    services.record_outcome(staff["leader1"], report, "clue", date(2026, 4, 1), COUNTS, 0)
    assert report.status == "transferred"
    assert [outcome.kind for outcome in report.outcomes] == ["clue"]


def test_only_leaders_and_admins_of_the_report_record_outcomes_of_decisions_it_has(two_teams, staff):
    report = clue(two_teams, staff["leader1"])
    with pytest.raises(NotAllowed):
        services.record_outcome(staff["member1"], report, "clue", None, COUNTS, 0)
    with pytest.raises(NotAllowed):
        services.record_outcome(make_staff("leader", [two_teams.teams[1]]), report, "clue", None, COUNTS, 0)
    with pytest.raises(OutcomeRefused):
        services.record_outcome(staff["leader1"], report, "transfer", None, COUNTS, 0)
    assert report.outcomes == [] and audit_of(report, "outcome.recorded") == []


def test_reminders_are_counted_per_transfer_and_only_for_one_waiting(two_teams, staff):
    report = transferred(two_teams, staff["leader1"])
    for kind in ("supervision", "prompt"):
        services.record_reminder(staff["leader1"], report, kind, TODAY, "督〔2026〕1号")
    assert services.reminder_counts([report.id]) == {report.id: 2}
    assert len(audit_of(report, "reminder.recorded")) == 2
    with pytest.raises(NotAllowed):
        services.record_reminder(staff["member1"], report, "prompt", TODAY, "")
    with pytest.raises(OutcomeRefused):
        services.record_reminder(staff["leader1"], clue(two_teams, staff["leader1"]), "prompt", TODAY, "")


def test_the_overdue_list_is_oldest_first_without_answered_or_future_ones(two_teams, staff):
    admin = staff["admin"]
    later = transferred(two_teams, admin, due_on=LONG_AGO + timedelta(days=5))
    older = transferred(two_teams, admin, due_on=LONG_AGO)
    transferred(two_teams, admin, due_on=TODAY)  # due today: not yet late
    transferred(two_teams, admin, due_on=None)  # no due date: never late
    answered = transferred(two_teams, admin)
    apply_action(answered, admin, "answer", {"answer": "已立案", "answered_on": TODAY.isoformat()})
    concluded = transferred(two_teams, admin)
    services.record_outcome(admin, concluded, "transfer", TODAY, COUNTS, 0)
    page = services.overdue_transfers(admin, TODAY)
    assert [report.id for report, _count in page.rows] == [older.id, later.id] and page.next_after is None


def test_the_overdue_list_keeps_to_the_users_teams_and_pages_by_cursor(two_teams, staff):
    mine = [transferred(two_teams, staff["admin"], due_on=LONG_AGO + timedelta(days=n)) for n in range(3)]
    theirs = transferred(two_teams, staff["admin"], unit_index=2)
    first = services.overdue_transfers(staff["leader1"], TODAY, size=2)
    assert [report.id for report, _ in first.rows] == [mine[0].id, mine[1].id] and first.next_after
    second = services.overdue_transfers(staff["leader1"], TODAY, first.next_after, size=2)
    assert [report.id for report, _ in second.rows] == [mine[2].id] and second.next_after is None
    other_leader = make_staff("leader", [two_teams.teams[1]])
    assert [report.id for report, _ in services.overdue_transfers(other_leader, TODAY).rows] == [theirs.id]
    assert services.overdue_transfers(staff["leader1"], TODAY, "not-a-cursor", size=2).rows == first.rows


def test_the_rank_is_kept_and_audited_only_when_it_changes(two_teams, staff):
    report = received(two_teams)
    services.set_rank(staff["member1"], report, "乡科级")
    services.set_rank(staff["member1"], report, "乡科级")
    assert report.subject_rank == "乡科级" and len(audit_of(report, "report.rank")) == 1
    with pytest.raises(ValueError):
        services.set_rank(staff["member1"], report, "部级")
