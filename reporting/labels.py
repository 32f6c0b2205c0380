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
