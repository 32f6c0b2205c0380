"""What a reporter sees of triage: one of six public statuses, never the internal state."""

# Internal status -> public status. Proposals, clues and notes stay inside: the public sees "in progress".
PUBLIC_STATUS = {
    "received": "received",
    "in_review": "in_progress",
    "proposed": "in_progress",
    "clue": "in_progress",
    "transferred": "transferred",
    "filed": "concluded",
    "out_of_scope": "out_of_scope",
    "duplicate": "merged",
}


def public_status(status: str) -> str:
    return PUBLIC_STATUS[status]
