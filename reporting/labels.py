"""What people read for the stored keys of statuses and channels: one place, for pages, filters and the ledger.

Templates reach them as the globals `status_labels`, `public_status_labels` and `channel_labels`, and an
audit event's detail as readable pairs through `detail_items`.
"""
from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from reporting.followup.outcomes import wan

STATUS_LABELS = {
    "received": _l("Received"),
    "in_review": _l("In review"),
    "proposed": _l("Proposal waiting for a leader"),
    "clue": _l("Problem clue"),
    "transferred": _l("Transferred"),
    "concluded": _l("Concluded (outcome recorded)"),
    "filed": _l("Filed"),
    "out_of_scope": _l("Out of scope"),
    "duplicate": _l("Duplicate"),
}

CHANNEL_LABELS = {
    "web": _l("Web (QR code)"),
    "letter": _l("Letter"),
    "visit": _l("Visit"),
    "call": _l("Call"),
    "email": _l("Email message"),  # the channel (电子邮件); "Email" is an address (电子邮箱)
}

# A reporter's rating of a finished report (满意度).
RATING_LABELS = {"satisfied": _l("Satisfied"), "basically": _l("Basically satisfied"),
                 "unsatisfied": _l("Unsatisfied")}

# What the reporter reads on /status.
PUBLIC_STATUS_LABELS = {
    "received": _l("Received"),
    "in_progress": _l("In progress"),
    "transferred": _l("Transferred to the responsible body"),
    "concluded": _l("Concluded"),
    "out_of_scope": _l("Outside the scope of this round"),
    "merged": _l("Merged with an earlier report"),
}

# What the history of a report and the audit log say for each recorded action.
AUDIT_LABELS = {
    "report.viewed": _l("viewed the report"),
    "report.recorded": _l("recorded the item"),
    "identity.revealed": _l("showed the reporter's identity"),
    "message.note": _l("added a note"),
    "message.reply": _l("replied to the reporter"),
    "reply.submitted": _l("submitted a reply for a leader's approval"),
    "reply.approved": _l("approved the reply"),
    "reply.returned": _l("returned the reply"),
    "reply.revised": _l("revised the returned reply for a leader's approval"),
    "reply.revised_sent": _l("revised the returned reply and sent it"),
    "triage.review": _l("started the review"),
    "triage.clue": _l("decided it is a problem clue"),
    "triage.transfer": _l("decided to transfer it"),
    "triage.answer": _l("recorded the answer to the transfer"),
    "triage.file": _l("filed the report"),
    "triage.out_of_scope": _l("found it out of scope"),
    "triage.duplicate": _l("merged it with an earlier report"),
    "triage.approve": _l("approved the proposal"),
    "triage.return": _l("returned the proposal"),
    "triage.assign": _l("assigned the report"),
    "triage.route": _l("routed the report to a team"),
    "report.rank": _l("set the rank of the person reported"),
    "outcome.recorded": _l("recorded the outcome reported back"),
    "reminder.recorded": _l("recorded a 督办函 or 提示函"),
    "export": _l("exported the ledger"),
    "login": _l("logged in"),
    "login.failed": _l("failed to log in"),
    "logout": _l("logged out"),
    "logout.idle": _l("was logged out after inactivity"),
    "logout.expired": _l("was logged out after 12 hours"),
    "password.changed": _l("changed the password"),
    "totp.enabled": _l("set up a second factor"),
    "totp.reset": _l("cleared a second factor"),
    "account.created": _l("created an account"),
    "account.changed": _l("changed an account"),
    "round.created": _l("created the round"),
    "round.imported": _l("imported posting locations"),
    "round.posters": _l("made posters"),
    "round.changed": _l("changed the round"),
    "round.status": _l("changed the round's status"),
    "round.team_added": _l("added a team"),
    "round.unit_added": _l("added a unit"),
    "round.location_added": _l("added a posting location"),
    "round.code_revoked": _l("revoked a QR code"),
    "round.code_restored": _l("undid a QR code's revocation"),
    "round.team_renamed": _l("renamed a team"),
    "round.unit_renamed": _l("renamed a unit"),
    "round.unit_moved": _l("moved a unit to another team"),
    "round.team_removed": _l("removed a team"),
    "round.unit_removed": _l("removed a unit"),
}

# Events whose words depend on their details: a member's proposal, the status a round was put in.
PROPOSED_LABELS = {"triage.clue": _l("proposed a problem clue"), "triage.transfer": _l("proposed a transfer")}
ROUND_STATUS_LABELS = {"open": _l("opened the round for reports"), "closed": _l("stopped the round taking reports"),
                       "draft": _l("put the round back to draft")}


def event_label(action: str, detail: dict[str, Any]) -> Any:
    """What an audit event says it did: the act itself, never 'decided or proposed'."""
    if detail.get("proposal") and action in PROPOSED_LABELS:
        return PROPOSED_LABELS[action]
    if action == "round.status" and detail.get("status") in ROUND_STATUS_LABELS:
        return ROUND_STATUS_LABELS[detail["status"]]
    return AUDIT_LABELS.get(action, action)


# What each triage action is called, on its button and wherever a decision or proposal is named.
ACTION_LABELS = {
    "review": _l("Start review"),
    "clue": _l("Problem clue"),
    "transfer": _l("Transfer to the responsible body"),
    "answer": _l("Record the answer to a transfer"),
    "file": _l("File"),
    "out_of_scope": _l("Out of scope"),
    "duplicate": _l("Duplicate of an earlier report"),
    "approve": _l("Approve the proposal"),
    "return": _l("Return the proposal"),
    "assign": _l("Assign"),
    "route": _l("Route to a team"),
}

# The fields of triage actions and of audit details, named as the forms name them.
DETAIL_LABELS = {
    "note": _l("Note"),
    "summary": _l("Summary of the clue"),
    "disposal": _l("Suggested disposal"),
    "clue_number": _l("Clue number"),
    "body": _l("Receiving body"),
    "body_name": _l("Name of the receiving body"),
    "rank": _l("Rank of the person reported"),
    "kind": _l("Kind"),
    "concluded_on": _l("Concluded on (办结)"),
    "cases": _l("Cases filed (立案, cases)"),
    "persons": _l("Persons placed on file (立案, persons)"),
    "detained": _l("Detained (留置)"),
    "disciplined": _l("Party or government sanctions (党纪政务处分)"),
    "organisational": _l("Organisational measures (组织处理)"),
    "admonished": _l("Admonishing talks (诫勉谈话)"),
    "money_yuan": _l("Money recovered"),
    "sent_on": _l("Sent on"),
    "reference": _l("Reference number"),
    "transferred_on": _l("Transferred on"),
    "due_on": _l("Answer due on"),
    "answer": _l("Answer of the receiving body"),
    "answered_on": _l("Answered on"),
    "reason": _l("Reason"),
    "advice": _l("Advice for the reporter: where to go instead"),
    "original_id": _l("Number of the earlier report"),
    "relinked": _l("Reports merged along with it"),
    "assignee_id": _l("Assigned to"),
    "team_id": _l("Team"),
    "team": _l("Team"),
    "unit": _l("Unit"),
    "proposed_action": _l("Proposal"),
    "proposed_by": _l("Proposed by"),
    "channel": _l("Channel"),
    "account": _l("Account"),
    "username": _l("User name"),
    "display_name": _l("Name (姓名)"),
    "role": _l("Role"),
    "teams": _l("Teams"),
    "active": _l("Account active"),
    "password_reset": _l("New password set"),
    "fields": _l("Fields changed"),
    "status": _l("Status"),
    "name": _l("Name"),
    "previous_name": _l("Previous name"),
    "from_team": _l("From the team"),
    "to_team": _l("To the team"),
    "codes_moved": _l("QR codes moved with it"),
    "label": _l("Location"),
    "code": _l("QR code"),
    "filters": _l("Filters"),
    "format": _l("Format"),
    "sheet": _l("Sheet"),
    "edited": _l("Edited when approved"),
    "drafted": _l("Text as drafted"),
    "returned": _l("Text as returned"),
}
YES, NO = _l("yes"), _l("no")

# The heading of each kind of outcome, on its form and the report's page.
OUTCOME_LABELS = {"clue": _l("Outcome of the clue"), "transfer": _l("Outcome of the transfer")}

# Kinds of outcomes (the decision they follow) and of reminders, wherever a `kind` is shown.
KIND_LABELS = {
    "clue": _l("Problem clue"),
    "transfer": _l("Transfer"),
    "supervision": _l("督办函 (supervision letter)"),
    "prompt": _l("提示函 (reminder letter)"),
}


STAFF_KEYS = ("proposed_by", "assignee_id", "account")  # detail values that are staff accounts' ids


UNSHOWN_DETAILS = ("proposal", "via")  # said by the event's label and by its actor column

DAY_KEYS = ("transferred_on", "due_on", "answered_on", "concluded_on", "sent_on")  # ISO text in the stored JSON


def detail_items(detail: dict[str, Any], staff_names: Mapping[int, str]) -> list[tuple[str, str]]:
    """An audit event's detail as (label, text) pairs for people: labels of the forms, no JSON, no escapes.

    `proposal: true` and `via` are left out: the event's label and its actor column already say them.
    """
    return [(str(DETAIL_LABELS.get(key, key)), detail_text(key, value, staff_names))
            for key, value in detail.items() if key not in UNSHOWN_DETAILS and value not in (None, "", [], {})]


def detail_text(key: str, value: Any, staff_names: Mapping[int, str]) -> str:
    if key in STAFF_KEYS and value in staff_names:
        return staff_names[value]
    if isinstance(value, bool):
        return str(YES if value else NO)
    if key == "proposed_action":
        return str(ACTION_LABELS.get(value, value))
    if key == "channel":
        return str(CHANNEL_LABELS.get(value, value))
    if key == "kind":
        return str(KIND_LABELS.get(value, value))
    if key == "money_yuan" and isinstance(value, int):
        return str(_l("%(amount)s 万元", amount=wan(value)))
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return "; ".join(f"{DETAIL_LABELS.get(name, name)}: {item}" for name, item in value.items())
    if isinstance(value, date) or key in DAY_KEYS:
        return readable_day(value)
    return str(value)


def readable_day(value: date | str) -> str:
    """A day as the rest of the page writes it (2026年12月2日), not as it is stored (2026-12-02)."""
    try:
        return format_date(value if isinstance(value, date) else date.fromisoformat(value))
    except (TypeError, ValueError):  # not a day after all: shown as it was recorded
        return str(value)
