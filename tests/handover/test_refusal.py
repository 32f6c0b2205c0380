"""Undecided reports stop the handover and are named; `force` goes past them, on record."""
import io

import pytest
from sqlalchemy import select

from reporting.extensions import db
from reporting.handover.rules import SHOWN_UNDECIDED
from reporting.handover.services import HandoverRefused, write_handover
from reporting.models import AuditEvent
from reporting.triage.services import apply_action
from tests.handover.conftest import CLUE, received


def test_undecided_reports_refuse_the_handover_and_are_named(triaged, staff):
    waiting = received(triaged.round)
    reviewing = received(triaged.round)
    apply_action(reviewing, staff["leader1"], "review", {})
    proposed = received(triaged.round)
    apply_action(proposed, staff["member1"], "clue", CLUE)
    with pytest.raises(HandoverRefused) as refused:
        write_handover(triaged.round, io.BytesIO(), user=staff["admin"])
    assert refused.value.undecided.numbers == [waiting.id, reviewing.id, proposed.id]
    assert refused.value.undecided.count == 3
    assert triaged.round.handed_over_at is None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.handed_over")) is None


def test_a_refusal_names_the_first_and_counts_them_all(triaged):
    reports = [received(triaged.round) for _ in range(SHOWN_UNDECIDED + 2)]
    with pytest.raises(HandoverRefused) as refused:
        write_handover(triaged.round, io.BytesIO())
    assert refused.value.undecided.numbers == [report.id for report in reports[:SHOWN_UNDECIDED]]
    assert refused.value.undecided.count == SHOWN_UNDECIDED + 2


def test_force_hands_over_and_records_that_it_was_forced(triaged, staff):
    received(triaged.round)
    received(triaged.round)
    manifest = write_handover(triaged.round, io.BytesIO(), force=True, user=staff["admin"])
    assert manifest.files and triaged.round.handed_over_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.handed_over"))
    assert (event.detail["forced"], event.detail["undecided"]) == (True, 2)
