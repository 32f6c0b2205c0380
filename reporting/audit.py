"""The audit trail: who did what to which report, when. Rows are only ever added."""
from reporting.extensions import db
from reporting.models import AuditEvent, Report, StaffUser


def record(actor: StaffUser | None, action: str, report: Report | None = None, round_id: int | None = None,
           **detail) -> AuditEvent:
    """Add an event to the current transaction; the caller's commit saves it with what it describes."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        report_id=report.id if report is not None else None,
        round_id=report.round_id if report is not None else round_id,
        detail=detail,
    )
    db.session.add(event)
    return event
