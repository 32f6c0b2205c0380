"""Triage: one staff decision on one report, in one transaction.

`apply_action` is the only way a report's triage state changes, so that the lock, the status tallies
and the audit trail are never forgotten by one of the actions.
"""
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from reporting import audit, tally
from reporting.access import NotAllowed, RoundReadOnly, can_see, check_changeable
from reporting.extensions import db
from reporting.followup.bodies import BodyRefused, receiving_body
from reporting.models import Report, StaffUser, Team
from reporting.triage.rules import (
    InvalidFields,
    TriageError,
    clean_fields,
    is_proposal,
    next_status,
    submitted,
)

# Tries at a clue number before giving up: each failed try means another clue of the round took the
# number first, so more tries are only needed when that many clues are given in the same instant.
CLUE_NUMBER_ATTEMPTS = 5


def apply_action(report: Report, actor: StaffUser, action: str, fields: dict[str, str]) -> None:
    """Take `action` on `report` as `actor` with the posted `fields`, and commit.

    The report's row is locked and read again before anything is checked, so that of two staff acting
    at once the second sees the first's decision and is refused instead of overwriting it. A refusal
    (a TriageError) rolls the transaction back, releasing the lock, and changes nothing.
    """
    try:
        decide(report, actor, action, fields)
    except (TriageError, NotAllowed, RoundReadOnly):
        db.session.rollback()
        raise
    db.session.commit()


def decide(report: Report, actor: StaffUser, action: str, fields: dict[str, str]) -> None:
    db.session.refresh(report, with_for_update=True)
    if not can_see(actor, report):
        raise NotAllowed(f"user {actor.id} may not see report {report.id}")
    check_changeable(report.round)
    team_before, status_before, proposal = report.team_id, report.status, report.proposal
    status = next_status(action, actor.role, status_before, routed=team_before is not None, proposal=proposal)
    values = clean_fields(action, fields)
    check_for_round(report, action, values)
    # Written before the effects: on SQLite (pysqlite) the flush that precedes a clue number's savepoint must
    # open the transaction, or releasing the savepoint would commit it.
    report.status = status
    if is_proposal(action, actor.role):
        detail = propose(report, actor, action, submitted(action, fields), status_before)
    else:
        detail = EFFECTS[action](report, actor, values)
    if action not in ("assign", "route"):
        report.proposal_returned = action == "return"
    tally.move(report, team_before, status_before)
    audit.record(actor, f"triage.{action}", report, **detail)


def check_for_round(report: Report, action: str, values: dict) -> None:
    """What only the report's round can tell: a transfer names one of the round's receiving bodies (or 其他 with
    a name). Checked for proposals too, and again when one is approved (the list may have changed)."""
    if action != "transfer":
        return
    try:
        receiving_body(report.round.receiving_bodies, values["body"], values["body_name"])
    except BodyRefused as refused:
        raise InvalidFields({refused.field: refused.message}) from refused


def propose(report: Report, actor: StaffUser, action: str, fields: dict[str, str], status_before: str) -> dict:
    """Keep a member's clue or transfer, as typed and validated, for a leader or admin to decide."""
    report.proposal = {"action": action, "fields": fields, "by": actor.id, "status_before": status_before}
    return {"proposal": True, **fields}


# One function per action: check what needs the database, change the report, return the audit detail.

def review(report: Report, actor: StaffUser, values: dict) -> dict:
    return note_detail(values)


def give_clue(report: Report, actor: StaffUser, values: dict) -> dict:
    report.clue_summary = values["summary"]
    report.clue_disposal = values["disposal"]
    number_clue(report)
    return {"summary": values["summary"], "disposal": values["disposal"], "clue_number": report.clue_number}


def transfer(report: Report, actor: StaffUser, values: dict) -> dict:
    report.transfer_body = values["body"]
    report.transfer_body_name = values["body_name"]
    report.transfer_reference = values["reference"]
    report.transferred_on = values["transferred_on"]
    report.transfer_due_on = values["due_on"]
    return {
        "body": values["body"],
        "body_name": values["body_name"],
        "reference": values["reference"],
        "transferred_on": values["transferred_on"].isoformat(),
        "due_on": values["due_on"].isoformat() if values["due_on"] else None,
    }


def answer(report: Report, actor: StaffUser, values: dict) -> dict:
    if values["answered_on"] < report.transferred_on:
        raise InvalidFields({"answered_on": _l("The answer cannot be earlier than the transfer.")})
    report.transfer_answer = values["answer"]
    report.transfer_answered_on = values["answered_on"]
    return {"answer": values["answer"], "answered_on": values["answered_on"].isoformat()}


def file_report(report: Report, actor: StaffUser, values: dict) -> dict:
    report.closing_reason = values["reason"]
    return {"reason": values["reason"]}


def out_of_scope(report: Report, actor: StaffUser, values: dict) -> dict:
    report.closing_reason = values["reason"]
    report.public_advice = values["advice"]
    return {"reason": values["reason"], "advice": values["advice"]}


def mark_duplicate(report: Report, actor: StaffUser, values: dict) -> dict:
    """Link to the original's root, and bring the reports merged into this one along, so chains stay one deep.

    The original and its root are locked too: two reports marked as each other's duplicate at the same
    moment must not end up pointing at each other.
    """
    # A duplicate is merged into an earlier report (ids grow with time), never into a later one.
    original = None if values["original_id"] >= report.id else locked(values["original_id"])
    if original is None or original.round_id != report.round_id or not can_see(actor, original):
        raise InvalidFields({"original_id": _l("No earlier report of this round has this number.")})
    root = original
    while root.duplicate_of_id is not None:
        if root.duplicate_of_id == report.id:
            raise InvalidFields({"original_id": _l("That report is already merged into this one.")})
        parent = locked(root.duplicate_of_id)
        if parent is None:  # duplicate_of_id is a foreign key: only a broken database gets here
            raise LookupError(f"report {root.id} is merged into a missing report")
        root = parent
    merged_here = db.session.scalars(select(Report).where(Report.duplicate_of_id == report.id)).all()
    for other in merged_here:
        other.duplicate_of = root
    report.duplicate_of = root
    return {"original_id": root.id, "relinked": [other.id for other in merged_here]}


def pending_proposal(report: Report) -> dict[str, Any]:
    """The proposal an approve or return answers: `next_status` has already refused either without one."""
    if report.proposal is None:
        raise ValueError(f"report {report.id} has no proposal to answer")
    return report.proposal


def approve(report: Report, actor: StaffUser, values: dict) -> dict:
    """Carry out a member's proposal as if the approver had decided it, from what the member typed."""
    proposal = pending_proposal(report)
    proposed = clean_fields(proposal["action"], proposal["fields"])
    check_for_round(report, proposal["action"], proposed)
    decided = EFFECTS[proposal["action"]](report, actor, proposed)
    report.proposal = None
    return {"proposed_action": proposal["action"], "proposed_by": proposal["by"], **decided, **note_detail(values)}


def return_proposal(report: Report, actor: StaffUser, values: dict) -> dict:
    proposal = pending_proposal(report)
    report.proposal = None
    return {"proposed_action": proposal["action"], "proposed_by": proposal["by"], **note_detail(values)}


def assign(report: Report, actor: StaffUser, values: dict) -> dict:
    assignee = db.session.get(StaffUser, values["assignee"])
    if assignee is None or not assignee.active or not can_see(assignee, report):
        raise InvalidFields({"assignee": _l("Choose an active member of the report's team, or an administrator.")})
    report.assignee_id = assignee.id
    return {"assignee_id": assignee.id}


def route(report: Report, actor: StaffUser, values: dict) -> dict:
    team = db.session.get(Team, values["team_id"])
    if team is None or team.round_id != report.round_id:
        raise InvalidFields({"team_id": _l("Choose a team of this round.")})
    report.team_id = team.id  # the id, not the relationship: tally.move reads it before any flush
    return {"team_id": team.id}


EFFECTS = {
    "review": review,
    "clue": give_clue,
    "transfer": transfer,
    "answer": answer,
    "file": file_report,
    "out_of_scope": out_of_scope,
    "duplicate": mark_duplicate,
    "approve": approve,
    "return": return_proposal,
    "assign": assign,
    "route": route,
}


def note_detail(values: dict) -> dict[str, Any]:
    """A note is kept in the audit trail, the report's history, and only there."""
    return {"note": values["note"]} if values["note"] else {}


def locked(report_id: int) -> Report | None:
    """The report, read again under a row lock (PostgreSQL; SQLite has one writer at a time anyway)."""
    return db.session.get(Report, report_id, with_for_update=True, populate_existing=True)


# Clue numbers ---------------------------------------------------------------------------------------

def number_clue(report: Report) -> None:
    """Give the report the round's next clue number; retry when a concurrent clue took the same one.

    Each try is a savepoint: the unique constraint on (round, clue number) refuses the loser, whose
    savepoint is rolled back, and its next count sees the winner's number, committed by then.
    """
    for attempt in range(1, CLUE_NUMBER_ATTEMPTS + 1):
        try:
            with db.session.begin_nested():
                report.clue_number = next_clue_number(report.round_id, report.round.starts_on.year)
            return
        except IntegrityError:
            if attempt == CLUE_NUMBER_ATTEMPTS:
                raise


def next_clue_number(round_id: int, year: int) -> str:
    """The round's highest clue number of `year` plus one, as 2026-0001.

    The highest is the longest, then the greatest, text: "2026-10000" follows "2026-9999".
    """
    prefix = f"{year}-"
    last = db.session.scalar(
        select(Report.clue_number)
        .where(Report.round_id == round_id, Report.clue_number.startswith(prefix, autoescape=True))
        .order_by(func.length(Report.clue_number).desc(), Report.clue_number.desc())
        .limit(1)
    )
    serial = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{serial:04d}"
