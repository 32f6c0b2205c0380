"""A report on the staff side: opening it, revealing a named reporter, notes and replies, offline items.

Callers pass reports they got from `access.report_or_404`, so scoping is decided once, before any of this.
"""
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import select

from reporting import audit
from reporting.access import (
    NotAllowed,
    can_see,
    check_changeable,
    may_reveal_identity,
    may_route,
    reply_waits_for_approval,
    teams_of,
)
from reporting.database import upsert_insert
from reporting.extensions import db
from reporting.models import (
    CHANNELS,
    Attachment,
    AttachmentBlob,
    AuditEvent,
    Message,
    Report,
    ReportRead,
    Round,
    StaffUser,
    Team,
    Unit,
    utcnow,
)
from reporting.replies import WAITING
from reporting.security import decrypt_identity
from reporting.submission.services import Origin, Submission, save_report
from reporting.uploads import Upload, extension

OFFLINE_CHANNELS = tuple(channel for channel in CHANNELS if channel != "web")
STAFF_MESSAGE_KINDS = ("note", "reply")


def open_report(user: StaffUser, report: Report) -> None:
    """Viewing a report is audited and marks it read for this user."""
    statement = upsert_insert(ReportRead).values(staff_user_id=user.id, report_id=report.id, read_at=utcnow())
    db.session.execute(statement.on_conflict_do_update(index_elements=["staff_user_id", "report_id"],
                                                       set_={"read_at": utcnow()}))
    audit.record(user, "report.viewed", report)
    db.session.commit()


def reveal_identity(user: StaffUser, report: Report) -> dict[str, str] | None:
    """A named reporter's name and phone, for leaders and admins, each time as an audited act."""
    if not may_reveal_identity(user):
        raise NotAllowed("identity")
    if report.identity_ciphertext is None:
        return None
    identity = decrypt_identity(report.id, report.identity_ciphertext)  # first: a wrong key reveals nothing
    audit.record(user, "identity.revealed", report)
    db.session.commit()
    return identity


def identity_after_reveal(user: StaffUser, report: Report) -> dict[str, str] | None:
    """The identity on the page a reveal leads to: the reveal (a POST) was audited, and leads here once."""
    if not may_reveal_identity(user) or report.identity_ciphertext is None:
        return None
    return decrypt_identity(report.id, report.identity_ciphertext)


def add_message(user: StaffUser, report: Report, kind: str, body: str) -> Message:
    """A note among staff, or a reply the reporter reads on /status: at once, or, for a member in a round whose
    replies need approval, once a leader approves the draft (reporting/reports/replies.py)."""
    if kind not in STAFF_MESSAGE_KINDS:
        raise ValueError(kind)
    check_changeable(report.round)
    drafted = kind == "reply" and reply_waits_for_approval(user, report.round)
    message = Message(report=report, kind=kind, author=user, body=body, review=WAITING if drafted else "")
    db.session.add(message)
    audit.record(user, "reply.submitted" if drafted else f"message.{kind}", report)
    db.session.commit()
    return message


def history(report: Report) -> list[AuditEvent]:
    """What was done to the report; mere views stay in the audit log (a line after every act said nothing)."""
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.report_id == report.id, AuditEvent.action != "report.viewed")
        .order_by(AuditEvent.id)
    ))


def last_event(events: list[AuditEvent], action: str) -> AuditEvent | None:
    """The newest event of `action` in a report's history (oldest first)."""
    return next((event for event in reversed(events) if event.action == action), None)


def proposal_event(events: list[AuditEvent]) -> AuditEvent | None:
    """The event that recorded the report's pending proposal: who proposed it, and when."""
    return next((event for event in reversed(events) if event.detail.get("proposal")), None)


def assignable_staff(report: Report) -> list[StaffUser]:
    """Active members and leaders of the report's team, by the name staff read."""
    if report.team_id is None:
        return []
    return list(db.session.scalars(
        select(StaffUser).join(StaffUser.teams).where(Team.id == report.team_id, StaffUser.active)
        .order_by(StaffUser.shown_name, StaffUser.id)
    ))


def attachment_for(user: StaffUser, attachment_id: int) -> Attachment | None:
    """An attachment whose report `user` may see; None otherwise."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or not can_see(user, attachment.report):
        return None
    return attachment


def record_offline(user: StaffUser, round_: Round, submission: Submission, files: Sequence[Upload],
                   origin: Origin) -> Report:
    """A letter, visit, call or email typed in by staff, with its scans; it joins the same queue and rules."""
    if origin.channel not in OFFLINE_CHANNELS:
        raise ValueError(origin.channel)
    check_changeable(round_)
    allowed_teams = {team.id for team in teams_of(user, round_)}
    unit = db.session.get(Unit, submission.unit_id) if submission.unit_id else None
    deciding_team = unit.team_id if unit is not None and unit.round_id == round_.id else origin.team_id
    # Staff record only what their own teams will see; only an admin may leave an item unrouted.
    if deciding_team not in allowed_teams and not (deciding_team is None and may_route(user)):
        raise NotAllowed("team")
    return save_report(round_, submission, files, replace(origin, recorded_by=user))


def missing_files(attachments: list[Attachment]) -> set[int]:
    """Ids of attachments whose bytes are not in the database (a file already lost from disk when the upgrade
    moved the others in): the page says so instead of failing. Asks for ids only, never the bytes."""
    ids = [attachment.id for attachment in attachments]
    if not ids:
        return set()
    kept = db.session.scalars(select(AttachmentBlob.attachment_id).where(AttachmentBlob.attachment_id.in_(ids)))
    return set(ids) - set(kept)


def attachment_data(attachment: Attachment) -> bytes | None:
    """An attachment's bytes (at most MAX_ATTACHMENT_BYTES, which the database enforces); None when missing."""
    return db.session.scalar(select(AttachmentBlob.data).where(AttachmentBlob.attachment_id == attachment.id))


def download_name(attachment: Attachment) -> str | None:
    """The name a file is saved under, for files the browser must save rather than open: a PDF kept as it came
    could carry script or forms. None for the images the site re-encoded itself, shown in place."""
    if attachment.content_type.startswith("image/"):
        return None
    return f"attachment-{attachment.id}.{extension(attachment.content_type)}"
