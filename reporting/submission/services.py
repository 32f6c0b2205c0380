"""Saving a report of any channel, in one transaction: the web form's and the staff's offline entry's one
use case. Nothing here receives or stores the client's address or user agent."""
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm.attributes import flag_modified

from reporting import audit, tally
from reporting.extensions import db
from reporting.models import Attachment, AttachmentBlob, Message, Report, Round, StaffUser, Unit, utc_day, utcnow
from reporting.security import encrypt_identity
from reporting.text import subject_key
from reporting.uploads import Upload


@dataclass
class Submission:
    """What the resident sent, already cleaned by the form."""

    anonymous: bool
    reporter_name: str
    reporter_phone: str
    unit_id: int | None
    category: str
    subject_name: str
    subject_unit: str
    subject_position: str
    content: str
    caller_number: str = ""  # the number a call came from (staff record it, by name only): part of the identity


@dataclass
class Origin:
    """Where a report came from: the web through a QR code, or a letter, visit, call or email staff recorded."""

    channel: str
    received_on: date
    team_id: int | None  # the team when no unit decides it
    qr_code_id: int | None = None
    receipt_digest: str | None = None
    recorded_by: StaffUser | None = None
    visitors: int | None = None  # a visit's: how many came, and who received them (接待人)
    receiving_officer: str = ""


def save_report(round_: Round, submission: Submission, images: Sequence[Upload], origin: Origin) -> Report:
    """Save a report of any channel with its images, in one transaction."""
    unit = db.session.get(Unit, submission.unit_id) if submission.unit_id else None
    if unit is not None and unit.round_id != round_.id:
        unit = None
    stamp = utc_day() if origin.channel == "web" else utcnow()  # staff records keep their time; residents' the day
    report = Report(
        created_at=stamp,
        updated_at=stamp,
        round=round_,
        unit=unit,
        team_id=unit.team_id if unit is not None else origin.team_id,
        qr_code_id=origin.qr_code_id,
        channel=origin.channel,
        category=submission.category if submission.category in round_.categories else "",
        subject_name=submission.subject_name,
        subject_unit=submission.subject_unit,
        subject_position=submission.subject_position,
        subject_key=subject_key(submission.subject_name, submission.subject_unit),
        content=submission.content,
        status="received",
        is_anonymous=submission.anonymous,
        receipt_digest=origin.receipt_digest,
        received_on=origin.received_on,
        recorded_by=origin.recorded_by,
        visitors=origin.visitors,
        receiving_officer=origin.receiving_officer,
    )
    db.session.add(report)
    db.session.flush()  # the id binds the identity's ciphertext to this report
    if not submission.anonymous:
        report.identity_ciphertext = encrypt_identity(report.id, identity_of(submission))
        flag_modified(report, "updated_at")  # kept as given: the UPDATE must not stamp the exact time (onupdate)
    attach(report, images, created_at=stamp)
    tally.count(round_.id, report.team_id, report.status, +1)
    if origin.recorded_by is not None:
        audit.record(origin.recorded_by, "report.recorded", report, channel=origin.channel)
    db.session.commit()
    return report


def identity_of(submission: Submission) -> dict[str, str]:
    """What the ciphertext holds: the name and phone, and a call's number when one was recorded."""
    identity = {"name": submission.reporter_name, "phone": submission.reporter_phone}
    if submission.caller_number:
        identity["caller_number"] = submission.caller_number
    return identity


def attach(report: Report, images: Sequence[Upload], message: Message | None = None,
           created_at: datetime | None = None) -> None:
    """The files' rows and bytes join the caller's transaction: if it fails, nothing of them is left."""
    for image in images:
        attachment = Attachment(report=report, message=message, content_type=image.content_type,
                                size=len(image.data), width=image.width, height=image.height,
                                created_at=created_at or utcnow())
        db.session.add_all([attachment, AttachmentBlob(attachment=attachment, data=image.data)])
