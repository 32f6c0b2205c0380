"""The resident's use cases: open a code, submit a report, look it up by receipt, add to it.

Nothing here receives or stores the client's address or user agent.
"""
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import flag_modified

from reporting import audit, tally
from reporting.extensions import db
from reporting.models import Attachment, Message, QrCode, Report, Round, StaffUser, Unit, utc_day, utcnow
from reporting.rounds.services import today_in
from reporting.security import encrypt_identity, normalize_receipt, new_receipt, receipt_digest
from reporting.text import subject_key
from reporting.uploads import CleanImage, discard, store


class CodeUnknown(LookupError):
    """No QR code has this token."""


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


def find_code(token: str) -> QrCode:
    code = db.session.scalar(select(QrCode).where(QrCode.token == token))
    if code is None:
        raise CodeUnknown(token)
    return code


def intake_state(code: QrCode, now: datetime | None = None) -> str:
    """open, not_yet (200 with the opening date), closed or revoked (both 410)."""
    if code.revoked_at is not None:
        return "revoked"
    return {"draft": "not_yet", "open": "open", "closed": "closed"}[code.round.status_at(now or utcnow())]


def count_scan(code: QrCode) -> None:
    """One more scan of this code: a counter only, incremented in SQL so concurrent scans all count."""
    db.session.execute(update(QrCode).where(QrCode.id == code.id).values(scan_count=QrCode.scan_count + 1))
    db.session.commit()


@dataclass
class Origin:
    """Where a report came from: the web through a QR code, or a letter, visit, call or email staff recorded."""

    channel: str
    received_on: date
    team_id: int | None  # the team when no unit decides it
    qr_code_id: int | None = None
    receipt_digest: str | None = None
    recorded_by: StaffUser | None = None


def submit_report(code: QrCode, submission: Submission, images: list[CleanImage]) -> tuple[Report, str]:
    """Save a web report and return it with its receipt, which is shown once and not kept."""
    receipt = new_receipt()
    team_id = code.team_id if code.team_id is not None else code.round.intake_team_id()
    origin = Origin("web", today_in(code.round.timezone), team_id, qr_code_id=code.id,
                    receipt_digest=receipt_digest(receipt))
    return save_report(code.round, submission, images, origin), receipt


def save_report(round_: Round, submission: Submission, images: list[CleanImage], origin: Origin) -> Report:
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
    )
    with stored_or_discarded(images) as stored:
        db.session.add(report)
        db.session.flush()  # the id binds the identity's ciphertext to this report
        if not submission.anonymous:
            report.identity_ciphertext = encrypt_identity(
                report.id, {"name": submission.reporter_name, "phone": submission.reporter_phone}
            )
            flag_modified(report, "updated_at")  # kept as given: the UPDATE must not stamp the exact time (onupdate)
        attach(report, images, stored, created_at=stamp)
        tally.count(round_.id, report.team_id, report.status, +1)
        if origin.recorded_by is not None:
            audit.record(origin.recorded_by, "report.recorded", report, channel=origin.channel)
        db.session.commit()
    return report


@contextmanager
def stored_or_discarded(images: list[CleanImage]):
    """Write the files first and yield their names; if the transaction then fails, roll back and remove them."""
    stored = [store(image) for image in images]
    try:
        yield stored
    except BaseException:
        db.session.rollback()
        discard(stored)
        raise


def attach(report: Report, images: list[CleanImage], stored: list[str], message: Message | None = None,
           created_at: datetime | None = None) -> None:
    for image, name in zip(images, stored, strict=True):
        db.session.add(Attachment(report=report, message=message, stored_name=name, content_type=image.content_type,
                                  size=len(image.data), width=image.width, height=image.height,
                                  created_at=created_at or utcnow()))


def find_by_receipt(typed: str) -> Report | None:
    """The report a receipt belongs to; None for anything else, whatever is wrong with it."""
    if normalize_receipt(typed) is None:
        return None
    return db.session.scalar(select(Report).where(Report.receipt_digest == receipt_digest(typed)))


def add_information(report: Report, text: str, images: list[CleanImage]) -> Message:
    """The reporter adds text and images to their report, as one message."""
    with stored_or_discarded(images) as stored:
        message = Message(report=report, kind="reporter", body=text, created_at=utc_day())
        db.session.add(message)
        attach(report, images, stored, message, created_at=utc_day())
        db.session.commit()
    return message


def public_replies(report: Report) -> list[Message]:
    """What the reporter may read on /status: their own additions and staff replies, never staff notes."""
    return [message for message in report.messages if message.kind in ("reporter", "reply")]
