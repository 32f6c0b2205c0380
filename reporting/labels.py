"""What people read for the stored keys of statuses and channels: one place, for pages, filters and the ledger.

Templates reach them as the globals `status_labels`, `public_status_labels` and `channel_labels`.
"""
from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "received": _l("Received"),
    "in_review": _l("In review"),
    "proposed": _l("Proposal waiting for a leader"),
    "clue": _l("Problem clue"),
    "transferred": _l("Transferred"),
    "filed": _l("Filed"),
    "out_of_scope": _l("Out of scope"),
    "duplicate": _l("Duplicate"),
}

CHANNEL_LABELS = {
    "web": _l("Web (QR code)"),
    "letter": _l("Letter"),
    "visit": _l("Visit"),
    "call": _l("Call"),
    "email": _l("Email"),
}

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
    "triage.review": _l("started the review"),
    "triage.clue": _l("decided or proposed a problem clue"),
    "triage.transfer": _l("decided or proposed a transfer"),
    "triage.answer": _l("recorded the answer to the transfer"),
    "triage.file": _l("filed the report"),
    "triage.out_of_scope": _l("found it out of scope"),
    "triage.duplicate": _l("merged it with an earlier report"),
    "triage.approve": _l("approved the proposal"),
    "triage.return": _l("returned the proposal"),
    "triage.assign": _l("assigned the report"),
    "triage.route": _l("routed the report to a team"),
    "export": _l("exported the ledger"),
    "login": _l("logged in"),
    "login.failed": _l("failed to log in"),
    "logout": _l("logged out"),
    "logout.idle": _l("was logged out after inactivity"),
    "password.changed": _l("changed the password"),
    "totp.enabled": _l("set up a second factor"),
    "account.created": _l("created an account"),
    "account.changed": _l("changed an account"),
    "round.changed": _l("changed the round"),
    "round.status": _l("opened or closed the round"),
    "round.team_added": _l("added a team"),
    "round.unit_added": _l("added a unit"),
    "round.location_added": _l("added a posting location"),
    "round.code_revoked": _l("revoked a QR code"),
}
