"""Replies to residents that wait for a leader (a round's `replies_need_approval`): the review a reply carries,
and what the reporter reads. Who writes drafts and who approves them is decided in reporting/access.py."""
from datetime import datetime

from reporting.models import Message

WAITING, RETURNED, APPROVED = "waiting", "returned", "approved"
UNSENT = (WAITING, RETURNED)  # drafts the reporter never reads: waiting for a leader, or sent back to the member


def seen_by_reporter(message: Message) -> bool:
    """The reporter reads their own additions and the replies that went out (at once, or once approved); never a
    note among staff, a draft waiting for a leader or a draft returned to its author."""
    return message.kind == "reporter" or (message.kind == "reply" and message.review not in UNSENT)


def sent_on(message: Message) -> datetime:
    """When the reporter could first read a message: an approved draft on its approval, not on its writing."""
    if message.review == APPROVED and message.reviewed_at is not None:
        return message.reviewed_at
    return message.created_at
