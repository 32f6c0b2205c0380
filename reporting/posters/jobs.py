"""Posters of every posting location of a round, as a background job: a batch too large for a request
(past the admin page's MAX_WEB_POSTERS) is made by a job whose page offers the PDF."""
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l

from reporting.extensions import db
from reporting.files import file_chunks
from reporting.jobs.registry import JobRefused, Result, job_kind
from reporting.jobs.rules import CHUNK_BYTES
from reporting.models import QrCode, Round, StaffUser
from reporting.posters.locations import codes_for_posters
from reporting.posters.pdf import write_posters

POSTERS_KIND = "posters"


@job_kind(POSTERS_KIND, _l("Posters"))
def posters_job(params: dict[str, Any], _user: StaffUser) -> Result:
    """The round's live location codes as they stand when the job runs, one A4 page each."""
    round_ = db.session.get(Round, params["round_id"])
    if round_ is None:
        raise JobRefused("round_gone")
    filename = f"{round_.name.replace('/', '-')}-海报.pdf"  # the posters' own language, like their wording
    return Result(filename, "application/pdf", pdf_chunks(round_, codes_for_posters(round_)))


def pdf_chunks(round_: Round, codes: list[QrCode]) -> Iterator[bytes]:
    """fpdf2 builds the document in memory (the font dominates, see write_posters); the file is then read back
    from a temporary folder a piece at a time, so it is never held twice."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "posters.pdf"
        write_posters(round_, codes, path)
        with path.open("rb") as file:
            yield from file_chunks(file, CHUNK_BYTES)
