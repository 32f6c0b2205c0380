"""The audit trail: who did what to which report, when. Rows are only ever added."""
from datetime import datetime
from typing import Any

from flask import has_request_context
from sqlalchemy import ColumnElement, ScalarSelect, UnaryExpression, or_, select

from reporting.extensions import db
from reporting.labels import STAFF_KEYS, detail_items
from reporting.models import AuditEvent, Report, StaffUser


def record(actor: StaffUser | None, action: str, report: Report | None = None, round_id: int | None = None,
           **detail) -> AuditEvent:
    """Add an event to the current transaction; the caller's commit saves it with what it describes. Done by no
    one outside a request, it was a command run on the server, and says so."""
    if actor is None and not has_request_context():
        detail = {"via": "command"} | detail
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        report_id=report.id if report is not None else None,
        round_id=report.round_id if report is not None else round_id,
        detail=detail,
    )
    db.session.add(event)
    return event


def events(action: str = "", actor: str = "", report_id: int | None = None, before: int | None = None,
           since: datetime | None = None, until: datetime | None = None, size: int = 100) -> list[AuditEvent]:
    """A page of events, newest first; `before` is the id the previous page ended at (keyset paging).

    The time range becomes a range of ids (events are added in time order), found through the index on `at`:
    the page then walks the primary key from the range's end, however old the range.
    """
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(size)
    if since is not None:
        query = query.where(AuditEvent.id >= edge_id(AuditEvent.at >= since, AuditEvent.at.asc()))
    if until is not None:
        query = query.where(AuditEvent.id <= edge_id(AuditEvent.at < until, AuditEvent.at.desc()))
    if action:
        query = query.where(AuditEvent.action == action)
    if actor:
        query = query.join(StaffUser, AuditEvent.actor_id == StaffUser.id).where(
            or_(StaffUser.username == actor, StaffUser.display_name == actor))
    if report_id:
        query = query.where(AuditEvent.report_id == report_id)
    if before:
        query = query.where(AuditEvent.id < before)
    return list(db.session.scalars(query))


def edge_id(condition: ColumnElement[bool], order: UnaryExpression) -> ScalarSelect:
    """The id of the first event, in `order` of time, that meets `condition`. When none does it is NULL, which
    no id equals or exceeds: the page is empty, as it should be."""
    return select(AuditEvent.id).where(condition).order_by(order).limit(1).scalar_subquery()


def readable_detail(detail: dict[str, Any]) -> list[tuple[str, str]]:
    """An event's detail as labelled text, staff ids named (each account read once per request)."""
    ids = {detail[key] for key in STAFF_KEYS if isinstance(detail.get(key), int)}
    names = {user_id: user.shown_name for user_id in ids if (user := db.session.get(StaffUser, user_id))}
    return detail_items(detail, names)
