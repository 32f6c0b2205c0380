"""What a job's page shows: the limits past which a job still waiting or running is taken for lost, the
failure reasons an owner reads, and the download's header. Pure functions, tested on their own."""
import unicodedata
from datetime import datetime, timedelta
from urllib.parse import quote

from flask_babel import lazy_gettext as _l

from reporting.models import Job

# A job no runner took within QUEUE_LIMIT (no worker running, Redis restarted) is shown as not started, and a
# runner that finds it later does not start it. A job running past RUN_LIMIT was lost with its process (a
# site restarted under its thread, a worker killed): shown as interrupted. RQ kills a job at RUN_LIMIT too.
QUEUE_LIMIT = timedelta(hours=1)
RUN_LIMIT = timedelta(hours=1)
CHUNK_BYTES = 1024 * 1024
REFRESH_SECONDS = 3
FILENAME_LENGTH = Job.filename.type.length
WAITING = ("queued", "running")

FAILURES = {
    "error": _l("Something went wrong while making the file. It was logged; try again, or tell an administrator."),
    "not_started": _l("No worker took the job within an hour. An administrator should check that the jobs"
                      " worker runs; then try again."),
    "interrupted": _l("The job stopped before it finished (the server restarted or the worker was stopped)."
                      " Try again."),
    "no_owner": _l("The account that asked for this file can no longer use the site."),
    "round_gone": _l("The round no longer exists."),
    "undecided": _l("Reports of the round became undecided before the zip was made. Open the handover page again."),
}


def shown_state(job: Job, now: datetime) -> tuple[str, str]:
    """The status and failure key the owner reads: what the runner recorded, unless it is clearly lost."""
    if job.status == "queued" and now - job.created_at > QUEUE_LIMIT:
        return "failed", "not_started"
    if job.status == "running" and job.started_at is not None and now - job.started_at > RUN_LIMIT:
        return "failed", "interrupted"
    return job.status, job.failure


def fitted_filename(filename: str, most: int = FILENAME_LENGTH) -> str:
    """The name cut to what `job.filename` holds, keeping its extension (a round's name alone may fill it)."""
    if len(filename) <= most:
        return filename
    stem, dot, extension = filename.rpartition(".")
    suffix = dot + extension if stem and len(extension) < 10 else ""
    return filename[: most - len(suffix)] + suffix


def content_disposition(filename: str) -> str:
    """`attachment` with the name for every browser: an ASCII fallback, and the UTF-8 name by RFC 5987."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    ascii_name = "".join(char for char in ascii_name if char.isprintable() and char not in '"\\/') or "download"
    if ascii_name == filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
