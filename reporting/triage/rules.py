"""Triage rules: which decision may follow which, for whom, with what fields; and what the reporter sees.

Pure functions, no database: the services in `reporting.triage.services` apply them under a lock, and
the report page asks `allowed_actions` what to offer, so the page and the service can never disagree.
"""
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from reporting.access import ADMIN, DECIDING_ROLES, ROLES, NotAllowed
from reporting.models import column_length
from reporting.text import clean_text

ACTIONS = ("review", "clue", "transfer", "answer", "file", "out_of_scope", "duplicate", "approve", "return",
           "assign", "route")
# Suggested clue disposals (the four forms of 问题线索处置); data values, shown as typed. Other text is accepted.
DISPOSALS = ("谈话函询", "初步核实", "暂存待查", "予以了结")

TERMINAL = ("concluded", "filed", "out_of_scope", "duplicate")
OPEN = ("received", "in_review", "proposed", "clue", "transferred")

# Internal status -> public status. Proposals, clues and notes stay inside: the public sees "in progress".
PUBLIC_STATUS = {
    "received": "received",
    "in_review": "in_progress",
    "proposed": "in_progress",
    "clue": "in_progress",
    "transferred": "transferred",
    "concluded": "concluded",  # a clue or transfer whose outcome was recorded as concluded (办结)
    "filed": "concluded",
    "out_of_scope": "out_of_scope",
    "duplicate": "merged",
}

RATEABLE = ("concluded", "out_of_scope")  # public statuses a reporter may rate (满意度)

# The statuses each action starts from. Terminal statuses start nothing.
SOURCES = {
    "review": ("received", "in_review"),
    "clue": ("received", "in_review"),
    "transfer": ("received", "in_review", "clue"),
    "answer": ("transferred",),
    "file": ("received", "in_review", "clue", "transferred"),
    "out_of_scope": ("received", "in_review"),
    "duplicate": ("received", "in_review"),
    "approve": ("proposed",),
    "return": ("proposed",),
    "assign": OPEN,
    "route": OPEN,
}

# Who may take each action. A member's clue or transfer is taken as a proposal (see PROPOSABLE).
ROLES_FOR = {action: ROLES for action in ACTIONS} | {
    "approve": DECIDING_ROLES,
    "return": DECIDING_ROLES,
    "assign": DECIDING_ROLES,
    "route": (ADMIN,),
}
PROPOSABLE = ("clue", "transfer")

# The status an action leads to; actions not listed leave the status as it is.
TARGETS = {
    "review": "in_review",
    "clue": "clue",
    "transfer": "transferred",
    "file": "filed",
    "out_of_scope": "out_of_scope",
    "duplicate": "duplicate",
}


class TriageError(Exception):
    """A triage request that is refused; nothing was changed."""


class InvalidTransition(TriageError):
    """The action is not possible from the report's status (or, for `route`, the report has a team)."""


class InvalidFields(TriageError):
    """Some fields are missing or wrong; `errors` maps each field's name to a message for the form."""

    def __init__(self, errors: dict[str, Any]):
        super().__init__(errors)
        self.errors = errors


def public_status(status: str) -> str:
    return PUBLIC_STATUS[status]


def may_rate(status: str) -> bool:
    """A reporter may rate a report once the public sees it as finished: concluded, or out of scope."""
    return public_status(status) in RATEABLE


def possible(action: str, status: str, routed: bool) -> bool:
    """Whether anyone could take `action` on a report in `status`; routing is only for reports without a team."""
    return status in SOURCES.get(action, ()) and not (action == "route" and routed)


def permitted(action: str, role: str) -> bool:
    return role in ROLES_FOR.get(action, ())


def is_proposal(action: str, role: str) -> bool:
    """A member's clue or transfer waits for a leader or admin to decide it."""
    return action in PROPOSABLE and role not in DECIDING_ROLES


def allowed_actions(role: str, status: str, routed: bool) -> list[str]:
    """The actions to offer this user on a report in `status`, in the order of ACTIONS."""
    return [action for action in ACTIONS if possible(action, status, routed) and permitted(action, role)]


def next_status(action: str, role: str, status: str, *, routed: bool = True,
                proposal: dict[str, Any] | None = None) -> str:
    """The report's status after `role` takes `action` from `status`; raises if that is refused.

    InvalidTransition comes first: an action no one may take now is "not possible", whoever asks.
    `routed` matters only to `route`, and defaults to refusing it. `approve` and `return` depend on
    the proposal they answer: pass the report's `proposal`.
    """
    if not possible(action, status, routed):
        raise InvalidTransition(f"{action} is not possible from {status}")
    if not permitted(action, role):
        raise NotAllowed(f"{role} may not {action}")
    if action in ("approve", "return"):
        if proposal is None:
            raise ValueError(f"{action} needs the proposal it answers")
        if action == "return":
            return proposal["status_before"]
        return next_status(proposal["action"], role, proposal["status_before"])
    if is_proposal(action, role):
        return "proposed"
    return TARGETS.get(action, status)


# Fields ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    kind: str = "text"  # text | date | id
    required: bool = True
    max_length: int | None = None


NOTE = {"note": Field(required=False)}
FIELDS: dict[str, dict[str, Field]] = {
    "review": NOTE,
    "clue": {"summary": Field(), "disposal": Field(max_length=column_length("clue_disposal"))},
    "transfer": {
        "body": Field(max_length=column_length("transfer_body")),
        "body_name": Field(required=False, max_length=column_length("transfer_body_name")),
        "reference": Field(required=False, max_length=column_length("transfer_reference")),
        "transferred_on": Field("date"),
        "due_on": Field("date", required=False),
    },
    "answer": {"answer": Field(), "answered_on": Field("date")},
    "file": {"reason": Field()},
    "out_of_scope": {"reason": Field(), "advice": Field()},
    "duplicate": {"original_id": Field("id")},
    "approve": NOTE,
    "return": {"note": Field()},  # the member must learn why
    "assign": {"assignee": Field("id")},
    "route": {"team_id": Field("id")},
}

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
NUMBER = re.compile(r"[0-9]{1,9}")  # within an integer column's range


def submitted(action: str, fields: dict[str, str]) -> dict[str, str]:
    """The action's own fields as typed, without stray controls and surrounding spaces; others are dropped.

    This is what a member's proposal keeps, so that approving it validates the very same text again.
    """
    return {name: clean_text(fields.get(name)).strip() for name in FIELDS[action]}


def clean_fields(action: str, fields: dict[str, str]) -> dict[str, Any]:
    """The action's fields as values (text, dates, ids); raises InvalidFields naming every wrong field."""
    values, errors = {}, {}
    for name, text in submitted(action, fields).items():
        value, error = parse(FIELDS[action][name], text)
        if error is not None:
            errors[name] = error
        values[name] = value
    if action == "transfer" and values["transferred_on"] and values["due_on"] \
            and values["due_on"] < values["transferred_on"]:
        errors["due_on"] = _l("The answer cannot be due before the transfer.")
    if errors:
        raise InvalidFields(errors)
    return values


def parse(field: Field, text: str) -> tuple[Any, Any]:
    """(value, None) or (None, message). An empty optional field is "" for text and None otherwise."""
    if not text:
        if field.required:
            return None, _l("This field is required.")
        return ("" if field.kind == "text" else None), None
    if field.kind == "date":
        return parse_date(text)
    if field.kind == "id":
        return (int(text), None) if NUMBER.fullmatch(text) else (None, _l("Enter a number."))
    if field.max_length is not None and len(text) > field.max_length:
        return None, _l("At most %(num)d characters.", num=field.max_length)
    return text, None


def parse_date(text: str) -> tuple[date | None, Any]:
    """Only yyyy-mm-dd (what a date input sends), not every form `date.fromisoformat` accepts."""
    message = _l("Enter a date as yyyy-mm-dd.")
    if not ISO_DATE.fullmatch(text):
        return None, message
    try:
        return date.fromisoformat(text), None
    except ValueError:  # the right shape, but no such day (2026-02-30)
        return None, message
