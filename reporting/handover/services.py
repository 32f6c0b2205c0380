"""The handover of a round (移交): refused while reports wait for a decision unless forced; the zip written to
any binary file (the command's file, the page's temporary file, later a background job's); then the round is
marked handed over, which makes it read-only once it is closed (reporting/access.py), and the act audited.
"""
from dataclasses import dataclass
from datetime import datetime
from typing import IO
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from reporting import audit
from reporting.extensions import db
from reporting.handover.clues import ClueList, row
from reporting.handover.package import Manifest, Package
from reporting.handover.rules import SHOWN_UNDECIDED, UNDECIDED, folder_name
from reporting.handover.texts import attachment_line, identity_text, messages_text, report_text
from reporting.i18n import DEFAULT_LOCALE
from reporting.models import Message, Report, Round, StaffUser, utcnow
from reporting.reports.services import attachment_data
from reporting.security import decrypt_identity
from reporting.uploads import extension

BATCH = 100  # reports loaded at a time, with their messages and attachment rows (never their bytes)


@dataclass(frozen=True)
class Undecided:
    numbers: list[int]  # the first SHOWN_UNDECIDED of them, oldest first
    count: int


class HandoverRefused(Exception):
    """Reports of the round still wait for a decision; nothing was written or recorded."""

    def __init__(self, undecided: Undecided):
        super().__init__(f"{undecided.count} reports are undecided")
        self.undecided = undecided


def undecided(round_: Round) -> Undecided:
    """Reports received, in review or with a proposal waiting for a leader: the first numbers and how many."""
    waiting = select(Report.id).where(Report.round_id == round_.id, Report.status.in_(UNDECIDED))
    count = db.session.scalar(select(func.count()).select_from(waiting.subquery())) or 0
    return Undecided(list(db.session.scalars(waiting.order_by(Report.id).limit(SHOWN_UNDECIDED))), count)


def clue_ids(round_: Round) -> list[int]:
    """The round's clues in clue-number order ("2026-10000" after "2026-9999"): ids only, however many."""
    return list(db.session.scalars(
        select(Report.id).where(Report.round_id == round_.id, Report.clue_number.is_not(None))
        .order_by(func.length(Report.clue_number), Report.clue_number, Report.id)))


def write_handover(round_: Round, out: IO[bytes], *, force: bool = False, with_identity: bool = False,
                   user: StaffUser | None = None) -> Manifest:
    """Write the round's handover zip to `out`, mark the round handed over, audit it, and commit.

    Refused (HandoverRefused) while reports are undecided, unless `force`. Identities go in only `with_identity`;
    each one handed over is its own audit event, committed before any is decrypted, so that a package cut
    short is still on record.
    """
    waiting = undecided(round_)
    if waiting.count and not force:
        raise HandoverRefused(waiting)
    if with_identity:
        record_identities(round_, user)
    made_at = utcnow()
    with force_locale(DEFAULT_LOCALE):  # the package's words are Chinese whatever the admin's language
        manifest = write_package(round_, out, made_at, with_identity)
    round_.handed_over_at = made_at
    audit.record(user, "round.handed_over", round_id=round_.id, forced=bool(waiting.count), undecided=waiting.count,
                 files=len(manifest.files), with_identity=with_identity)
    db.session.commit()
    return manifest


def record_identities(round_: Round, user: StaffUser | None) -> None:
    named = db.session.scalars(select(Report).where(
        Report.round_id == round_.id, Report.clue_number.is_not(None), Report.identity_ciphertext.is_not(None)))
    for report in named:
        audit.record(user, "identity.handed_over", report)
    db.session.commit()


def write_package(round_: Round, out: IO[bytes], made_at: datetime, with_identity: bool) -> Manifest:
    package = Package(out, Manifest(round_.id, round_.name, made_at))
    clue_list = ClueList(round_.name, made_at.astimezone(ZoneInfo(round_.timezone)))
    ids, taken = clue_ids(round_), set[str]()
    for start in range(0, len(ids), BATCH):
        for offset, report in enumerate(batch(ids[start:start + BATCH]), start=start + 1):
            clue_list.add(row(offset, report))
            folder = folder_name(report.clue_number or "", report.id, taken)
            write_folder(package, report, f"clues/{folder}", round_.timezone, with_identity)
    package.add("clues.xlsx", clue_list.xlsx())
    package.add("clues.pdf", [clue_list.pdf_bytes()])
    return package.close()


def batch(ids: list[int]) -> list[Report]:
    """These reports in this order, with what their folders need, in a few queries."""
    reports = db.session.scalars(select(Report).where(Report.id.in_(ids)).options(
        joinedload(Report.unit), joinedload(Report.team), selectinload(Report.attachments),
        selectinload(Report.messages).options(joinedload(Message.author), selectinload(Message.attachments))))
    by_id = {report.id: report for report in reports}
    return [by_id[report_id] for report_id in ids]


def write_folder(package: Package, report: Report, folder: str, zone: str, with_identity: bool) -> None:
    """The clue's attachments one at a time (each read, written and let go), then its texts."""
    paths: dict[int, str | None] = {}
    for attachment in report.attachments:
        data = attachment_data(attachment)
        paths[attachment.id] = None
        if data is not None:
            paths[attachment.id] = f"attachments/{attachment.id}.{extension(attachment.content_type)}"
            package.add(f"{folder}/{paths[attachment.id]}", [data], compress=False)
    own = [attachment_line(attachment, paths[attachment.id])
           for attachment in report.attachments if attachment.message_id is None]
    package.add_text(f"{folder}/report.txt", report_text(report, own))
    package.add_text(f"{folder}/messages.txt", messages_text(report.messages, zone, paths))
    if with_identity and report.identity_ciphertext is not None:
        identity = decrypt_identity(report.id, report.identity_ciphertext)
        package.add_text(f"{folder}/identity.txt", identity_text(identity))
