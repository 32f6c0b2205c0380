"""A leader's review of a member's draft reply (a round's `replies_need_approval`): approved, perhaps with its
text edited, it goes out to the reporter; returned, it stays with the member with the leader's note. Each review is
audited and shows in the report's history."""
from typing import Any, cast

from sqlalchemy import CursorResult, update

from reporting import audit
from reporting.access import NotAllowed, check_changeable, may_approve_reply, may_revise_reply, reply_waits_for_approval
from reporting.extensions import db
from reporting.models import Message, Report, StaffUser, utcnow
from reporting.replies import APPROVED, RETURNED, WAITING


class NotWaiting(Exception):
    """The reply is no draft waiting for a leader: it went out at once, or was approved or returned already."""


class NotReturned(Exception):
    """The reply is no draft returned to its author: it was revised already, or never returned."""


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


def revise(user: StaffUser, report: Report, draft: Message, text: str) -> None:
    """The author rewrites a returned draft: it waits for a leader again (or goes out at once, where the round no
    longer asks for approval). The returned text and the leader's note stay in the audit trail."""
    check_changeable(report.round)
    if not may_revise_reply(user, report, draft):
        raise NotAllowed("revise a reply")
    waits = reply_waits_for_approval(user, report.round)
    returned: dict[str, Any] = {"returned": draft.body, "note": draft.review_note}
    # Written now: a revision that goes out at once is dated by it on /status (an approved one by its approval).
    if not claim(draft, RETURNED, review=WAITING if waits else "", body=text, review_note="", reviewed_by_id=None,
                 reviewed_at=None, created_at=utcnow()):
        raise NotReturned(draft.id)
    audit.record(user, "reply.revised" if waits else "reply.revised_sent", report, **returned)
    db.session.commit()


def review(user: StaffUser, report: Report, draft: Message, outcome: str) -> None:
    """Marks the draft reviewed if it still waits."""
    check_changeable(report.round)
    if not may_approve_reply(user, report):
        raise NotAllowed("review a reply")
    if not claim(draft, WAITING, review=outcome, reviewed_by_id=user.id, reviewed_at=utcnow()):
        raise NotWaiting(draft.id)


def claim(draft: Message, review_now: str, **values: Any) -> bool:
    """Changes the draft if its review is still `review_now`. One UPDATE that also asks it: of two people acting on it
    at once, the second finds it changed (PostgreSQL re-reads the row once the first commits). The draft in the
    session is then read again, never given the values in Python: the second one's 409 page shows what the first
    one did, not its own attempt."""
    changed = cast(CursorResult, db.session.execute(
        update(Message).where(Message.id == draft.id, Message.review == review_now).values(**values)
        .execution_options(synchronize_session=False)
    )).rowcount
    db.session.expire(draft)
    return changed == 1
