"""The handover zip as a background job: a round of thousands of photos takes longer than a request may, so
the admin's page starts a job whose page offers the zip once it is written."""
import tempfile
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from reporting.extensions import db
from reporting.files import file_chunks
from reporting.handover.services import HandoverRefused, write_handover
from reporting.jobs.registry import JobRefused, Result, job_kind
from reporting.jobs.rules import CHUNK_BYTES
from reporting.models import Attachment, Report, Round, StaffUser, utcnow

HANDOVER_KIND = "handover"
MAX_CLUES_IN_A_REQUEST = 300  # the PDF's pages and the folders' texts: a few seconds


def needs_job(round_: Round) -> bool:
    """Whether the zip would take longer than a request may: by its clues' photos (read and written once each)
    and their number."""
    clues = select(Report.id).where(Report.round_id == round_.id, Report.clue_number.is_not(None))
    count, photo_bytes = db.session.execute(
        select(func.count(func.distinct(Report.id)), func.coalesce(func.sum(Attachment.size), 0))
        .select_from(Report).outerjoin(Attachment, Attachment.report_id == Report.id)
        .where(Report.id.in_(clues))).one()
    return count > MAX_CLUES_IN_A_REQUEST or photo_bytes > current_app.config["HANDOVER_JOB_BYTES"]


def package_name(round_: Round, made_at: datetime) -> str:
    return f"handover-round-{round_.id}-{made_at.astimezone(ZoneInfo(round_.timezone)):%Y%m%d-%H%M}.zip"


@job_kind(HANDOVER_KIND, _l("Handover zip"))
def handover_job(params: dict[str, Any], user: StaffUser) -> Result:
    """The round as it stands when the job runs; refused, like the command, if a report became undecided."""
    round_ = db.session.get(Round, params["round_id"])
    if round_ is None:
        raise JobRefused("round_gone")
    return Result(package_name(round_, utcnow()), "application/zip", zip_chunks(round_, params, user))


def zip_chunks(round_: Round, params: dict[str, Any], user: StaffUser) -> Iterator[bytes]:
    """Written whole to a temporary file (a zip's directory comes last), then read back a piece at a time."""
    with tempfile.TemporaryFile() as file:
        try:
            write_handover(round_, file, force=params["force"], with_identity=params["with_identity"], user=user)
        except HandoverRefused as refused:
            raise JobRefused("undecided") from refused
        file.seek(0)
        yield from file_chunks(file, CHUNK_BYTES)
