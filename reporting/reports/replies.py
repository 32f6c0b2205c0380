"""A leader's review of a member's draft reply (a round's `replies_need_approval`): approved, perhaps with its
text edited, it goes out to the reporter; returned, it stays with the member with the leader's note. Each review is
audited and shows in the report's history."""
from typing import Any, cast

from sqlalchemy import CursorResult, update

from reporting import audit
from reporting.access import NotAllowed, check_changeable, may_approve_reply
from reporting.extensions import db
from reporting.models import Message, Report, StaffUser, utcnow
from reporting.replies import APPROVED, RETURNED, WAITING


class NotWaiting(Exception):
    """The reply is no draft waiting for a leader: it went out at once, or was approved or returned already."""


def draft_of(report: Report, message_id: int) -> Message | None:
    """The report's reply with this id (whatever its review); None for another report's message or a note."""
    return next((message for message in report.messages if message.id == message_id and message.kind == "reply"),
                None)


def approve(user: StaffUser, report: Report, draft: Message, text: str) -> None:
    """The reply goes out as `text`: the draft as written, or as the leader edited it (the draft is kept in the
    audit trail)."""
    edited: dict[str, Any] = {"edited": True, "drafted": draft.body} if text != draft.body else {}
    review(user, report, draft, APPROVED)
    draft.body = text
    audit.record(user, "reply.approved", report, **edited)
    db.session.commit()


def send_back(user: StaffUser, report: Report, draft: Message, note: str) -> None:
    """The draft returns to its author with the leader's reason; the reporter never sees it. The member writes
    another reply, which waits for approval in its turn."""
    review(user, report, draft, RETURNED)
    draft.review_note = note
    audit.record(user, "reply.returned", report, note=note)
    db.session.commit()


def review(user: StaffUser, report: Report, draft: Message, outcome: str) -> None:
    """Marks the draft reviewed if it still waits. One UPDATE that also asks that it waits: of two leaders reviewing
    it at once, the second finds it no longer waiting (PostgreSQL re-reads the row once the first commits)."""
    check_changeable(report.round)
    if not may_approve_reply(user, report):
        raise NotAllowed("review a reply")
    claimed = cast(CursorResult, db.session.execute(
        update(Message).where(Message.id == draft.id, Message.review == WAITING)
        .values(review=outcome, reviewed_by_id=user.id, reviewed_at=utcnow())
    )).rowcount
    if claimed != 1:  # nothing was changed
        raise NotWaiting(draft.id)
