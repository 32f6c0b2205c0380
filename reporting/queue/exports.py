"""The ledger's downloads: answered in the request while the rows are few, made by a background job past
EXPORT_JOB_ROWS (an xlsx of ~75,000 rows outlasts gunicorn's worker timeout).

Deciding costs little at any size: the tally bounds the count (it knows round, team and status only), and
only when that bound passes the threshold are the matching ids counted, no further than one past it.
The threshold is REPORTING_EXPORT_JOB_ROWS (20,000 by default).
"""
from collections.abc import Iterator
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from reporting.jobs.registry import Result, job_kind
from reporting.jobs.services import start
from reporting.models import DEFAULT_TIMEZONE, Job, StaffUser, today_in
from reporting.queue.ledger import MEDIA_TYPES, UnknownSheet, export_ledger
from reporting.queue.services import QueueFilters, counted_to, tally_bound
from reporting.queue.sheets import SHEETS

EXPORT_KIND = "export"


def ledger_filename(file_format: str) -> str:
    return f"ledger-{today_in(DEFAULT_TIMEZONE).isoformat()}.{file_format}"


@job_kind(EXPORT_KIND, _l("Ledger export"))
def ledger_job(params: dict[str, Any], user: StaffUser) -> Result:
    """The ledger as the owner asked for it, filters and scope as they stand when the job runs."""
    file_format = params["format"]
    chunks = export_ledger(user, QueueFilters.from_args(params["filters"], user), file_format, params.get("sheet"))
    return Result(ledger_filename(file_format), MEDIA_TYPES[file_format], chunks)


def more_rows_than(user: StaffUser, filters: QueueFilters, limit: int) -> bool:
    """Whether the ledger would have more than `limit` rows: the tally's bound first, then a bounded count."""
    return tally_bound(user, filters) > limit and counted_to(user, filters, limit) > limit


def ledger_or_job(user: StaffUser, filters: QueueFilters, file_format: str,
                  sheet: str | None = None) -> Iterator[bytes] | Job:
    """The file's bytes to send now, or, for a large ledger, the job that makes it (UnknownSheet either way for
    a sheet the ledger has not)."""
    if file_format == "csv" and sheet is not None and sheet not in SHEETS:
        raise UnknownSheet(sheet)
    if more_rows_than(user, filters, current_app.config["EXPORT_JOB_ROWS"]):
        return start(EXPORT_KIND, user, {"filters": filters.as_args(), "format": file_format, "sheet": sheet})
    return export_ledger(user, filters, file_format, sheet)
