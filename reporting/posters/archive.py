"""All of a round's live codes as PNG files in one zip, each named by round, unit and place, for a print shop
or a team that prints its own posters. A large round's zip is made by a background job."""
import tempfile
import zipfile
from collections.abc import Iterator
from typing import Any

from flask_babel import lazy_gettext as _l

from reporting.extensions import db
from reporting.files import file_chunks
from reporting.jobs.registry import JobRefused, Result, job_kind
from reporting.jobs.rules import CHUNK_BYTES
from reporting.links import download_name, intake_url
from reporting.models import QrCode, Round, StaffUser
from reporting.posters.codes import qr_png
from reporting.posters.locations import live_codes

CODES_KIND = "codes"


def archive_name(round_: Round) -> str:
    return f"{round_.name.replace('/', '-')}-二维码.zip"  # named in the codes' own language, like the posters


def codes_zip(codes: list[QrCode]) -> Iterator[bytes]:
    """The zip of `codes`, written to a temporary file (PNGs do not compress: stored as they are) and read back
    in pieces."""
    with tempfile.TemporaryFile() as file:
        with zipfile.ZipFile(file, "w", zipfile.ZIP_STORED) as archive:
            taken: set[str] = set()
            for code in codes:
                name = download_name(code)
                if name in taken:  # two places of the same name and unit: the code's number tells them apart
                    name = f"{name}-{code.id}"
                taken.add(name)
                archive.writestr(f"{name}.png", qr_png(intake_url(code)))
        file.seek(0)
        yield from file_chunks(file, CHUNK_BYTES)


@job_kind(CODES_KIND, _l("QR codes (zip)"))
def codes_job(params: dict[str, Any], _user: StaffUser) -> Result:
    round_ = db.session.get(Round, params["round_id"])
    if round_ is None:
        raise JobRefused("round_gone")
    return Result(archive_name(round_), "application/zip", codes_zip(live_codes(round_)))
