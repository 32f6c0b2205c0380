"""Follow-through use cases: a reported cadre's rank, an outcome recorded, a 督办函 or 提示函 sent, and the
list of overdue transfers. Callers pass reports they got from `access.report_or_404`; each service commits."""
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, tuple_
from sqlalchemy.orm import selectinload

from reporting import audit, tally
from reporting.access import NotAllowed, can_see, check_changeable, may_follow_up, visible_reports
from reporting.extensions import db
from reporting.followup.bodies import RANKS
from reporting.followup.outcomes import COUNTS, KINDS, OutcomeRefused, kinds_of, status_after
from reporting.models import UNANSWERED, Outcome, Reminder, Report, StaffUser

REMINDER_KINDS = ("supervision", "prompt")  # 督办函, 提示函
OVERDUE_PAGE = 50


def set_rank(user: StaffUser, report: Report, rank: str) -> None:
    """The rank of the person reported, which suggests the receiving body; anyone who sees the report may set it."""
    if rank not in ("", *RANKS):
        raise ValueError(rank)
    check_changeable(report.round)
    if rank != report.subject_rank:
        report.subject_rank = rank
        audit.record(user, "report.rank", report, rank=rank)
    db.session.commit()


def outcome_of(report: Report, kind: str) -> Outcome | None:
    return next((outcome for outcome in report.outcomes if outcome.kind == kind), None)


def record_outcome(user: StaffUser, report: Report, kind: str, concluded_on: date | None,
                   counts: dict[str, int], money_yuan: int) -> Outcome:
    """What the body reported back about the report's clue or transfer; the latest figures replace the earlier
    ones, which stay in the audit trail. A concluded outcome of the decision in force concludes the report."""
    if not may_follow_up(user):
        raise NotAllowed("outcome")
    db.session.refresh(report, with_for_update=True)
    if not can_see(user, report):
        raise NotAllowed(f"user {user.id} may not see report {report.id}")
    check_changeable(report.round)
    if kind not in KINDS or kind not in kinds_of(report.clue_number, report.transferred_on):
        raise OutcomeRefused(kind)
    outcome = outcome_of(report, kind) or Outcome(report=report, kind=kind)
    db.session.add(outcome)
    outcome.concluded_on, outcome.money_yuan, outcome.recorded_by_id = concluded_on, money_yuan, user.id
    for name in COUNTS:
        setattr(outcome, name, counts[name])
    status_before = report.status
    report.status = status_after(status_before, kind, concluded_on is not None)
    tally.move(report, report.team_id, status_before)
    audit.record(user, "outcome.recorded", report, kind=kind,
                 concluded_on=concluded_on.isoformat() if concluded_on else None, **counts, money_yuan=money_yuan)
    db.session.commit()
    return outcome


def record_reminder(user: StaffUser, report: Report, kind: str, sent_on: date, reference: str) -> Reminder:
    """A 督办函 or 提示函 sent to the body of an unanswered transfer; counted per transfer (督办次数)."""
    if not may_follow_up(user) or not can_see(user, report):
        raise NotAllowed("reminder")
    if kind not in REMINDER_KINDS:
        raise ValueError(kind)
    check_changeable(report.round)
    if report.status != "transferred":
        raise OutcomeRefused("the report is not waiting for a transfer's answer")
    reminder = Reminder(report=report, kind=kind, sent_on=sent_on, reference=reference, recorded_by_id=user.id)
    db.session.add(reminder)
    audit.record(user, "reminder.recorded", report, kind=kind, sent_on=sent_on.isoformat(), reference=reference)
    db.session.commit()
    return reminder


def overdue(today: date) -> ColumnElement[bool]:
    """The rule of 督办, for this list, the ledger's 是否逾期 and the figures: transferred, unanswered, its answer
    due before `today`. Said with the partial indexes' own predicate, so that PostgreSQL uses them."""
    return and_(UNANSWERED, Report.transfer_due_on < today)


@dataclass
class OverduePage:
    rows: list[tuple[Report, int]]  # each overdue transfer with its number of reminders
    next_after: str | None  # the cursor of the next page, or None on the last


def overdue_transfers(user: StaffUser | None, today: date, after: str | None = None,
                      size: int = OVERDUE_PAGE, round_id: int | None = None) -> OverduePage:
    """Unanswered transfers due before `today` that `user` may see (None: all, for the command), of one round
    if `round_id` is given, oldest due date first, one page after the cursor `after` ("due date/id" of the
    previous page's last row).

    A keyset walk of the partial index `ix_report_unanswered_due`: a page costs the same at any depth.
    """
    query = select(Report) if user is None else visible_reports(user)
    query = query.where(overdue(today))
    if round_id is not None:
        query = query.where(Report.round_id == round_id)
    cursor = parse_cursor(after)
    if cursor is not None:
        query = query.where(tuple_(Report.transfer_due_on, Report.id) > tuple_(*cursor))
    reports = list(db.session.scalars(query.options(selectinload(Report.team), selectinload(Report.assignee))
                                      .order_by(Report.transfer_due_on, Report.id).limit(size + 1)))
    page, more = reports[:size], len(reports) > size
    counts = reminder_counts([report.id for report in page])
    last = page[-1] if page else None
    return OverduePage([(report, counts.get(report.id, 0)) for report in page],
                       f"{last.transfer_due_on}/{last.id}" if more and last and last.transfer_due_on else None)


def reminder_counts(report_ids: list[int]) -> dict[int, int]:
    """督办次数 of each of these reports, in one query."""
    if not report_ids:
        return {}
    rows = db.session.execute(select(Reminder.report_id, func.count()).where(Reminder.report_id.in_(report_ids))
                              .group_by(Reminder.report_id))
    return {report_id: count for report_id, count in rows}


def parse_cursor(after: str | None) -> tuple[date, int] | None:
    """A page cursor from a query string, or None for anything that is not one (a bad link shows page one)."""
    due, _, report_id = (after or "").partition("/")
    try:
        return date.fromisoformat(due), int(report_id)
    except ValueError:
        return None


def overdue_item(report: Report, reminders: int, today: date) -> dict[str, Any]:
    """One overdue transfer as `transfers overdue --json` prints it (no identity, no report text)."""
    return {"id": report.id, "round_id": report.round_id, "team": report.team.name if report.team else None,
            "clue_number": report.clue_number, "body": report.transfer_body, "body_name": report.transfer_body_name,
            "reference": report.transfer_reference, "transferred_on": report.transferred_on.isoformat()
            if report.transferred_on else None, "due_on": report.transfer_due_on.isoformat()
            if report.transfer_due_on else None,
            "days_overdue": (today - report.transfer_due_on).days if report.transfer_due_on else 0,
            "reminders": reminders}
