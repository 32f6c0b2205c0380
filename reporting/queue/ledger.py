"""The ledger (台账): every report the user may see, filtered like the queue, as CSV or an Excel workbook.

Its columns name no reporter: no name, phone, receipt or anything derived from them. Rows are read in
batches, so a ledger of a million reports does not sit in memory. Every cell a spreadsheet could take
for a formula is defused.
"""
import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import ColumnElement, Row, Select
from sqlalchemy.orm import QueryableAttribute

from reporting import audit
from reporting.access import visible_reports
from reporting.extensions import db
from reporting.labels import CHANNEL_LABELS, PUBLIC_STATUS_LABELS, STATUS_LABELS
from reporting.models import REPORT_STATUSES, Report, Round, StaffUser, Team, Unit
from reporting.queue.services import QueueFilters, filtered
from reporting.triage.rules import public_status

BATCH = 1000
FILE_CHUNK = 64 * 1024
# What Excel, LibreOffice and WPS read as the start of a formula (OWASP's list, with tab and CR).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_BOM = "\ufeff"  # Excel in China opens a CSV as UTF-8 only with it; otherwise as GBK


@dataclass(frozen=True)
class Column:
    header: Any  # a lazy string, translated when the file is written, in the user's language
    expression: ColumnElement[Any] | QueryableAttribute[Any]  # a mapped attribute, or an expression of one
    labels: dict[str, Any] | None = None  # stored key -> lazy label, for keys staff should not have to decode


PUBLIC_LABEL_OF_STATUS = {status: PUBLIC_STATUS_LABELS[public_status(status)] for status in REPORT_STATUSES}
COLUMNS = (
    Column(_l("No."), Report.id),
    Column(_l("Received on"), Report.received_on),
    Column(_l("Channel"), Report.channel, CHANNEL_LABELS),
    Column(_l("Round"), Round.name),
    Column(_l("Team"), Team.name),
    Column(_l("Unit"), Unit.name),
    Column(_l("Category"), Report.category),
    Column(_l("Person reported"), Report.subject_name),
    Column(_l("Their unit"), Report.subject_unit),
    Column(_l("Their position"), Report.subject_position),
    Column(_l("Content"), Report.content),
    Column(_l("Status"), Report.status, STATUS_LABELS),
    Column(_l("Public status"), Report.status.label("public_status"), PUBLIC_LABEL_OF_STATUS),
    Column(_l("Clue number"), Report.clue_number),
    Column(_l("Transferred to"), Report.transfer_body),
    Column(_l("Name of the receiving body"), Report.transfer_body_name),
    Column(_l("Transfer reference"), Report.transfer_reference),
    Column(_l("Transferred on"), Report.transferred_on),
    Column(_l("Answer due on"), Report.transfer_due_on),
    Column(_l("Answer of the receiving body"), Report.transfer_answer),
    Column(_l("Answered on"), Report.transfer_answered_on),
    Column(_l("Closing reason"), Report.closing_reason),
)
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def defused(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def ledger_query(user: StaffUser, filters: QueueFilters) -> Select:
    """The ledger's rows, oldest first as a ledger is kept, of what `user` may see now."""
    return (
        filtered(visible_reports(user), filters)
        .with_only_columns(*(column.expression for column in COLUMNS), maintain_column_froms=True)
        .join(Round, Report.round_id == Round.id)
        .outerjoin(Team, Report.team_id == Team.id)
        .outerjoin(Unit, Report.unit_id == Unit.id)
        .order_by(Report.id)
    )


def batches(query: Select) -> Iterator[Sequence[Row]]:
    """The rows in lists of BATCH, through a server-side cursor on PostgreSQL."""
    yield from db.session.execute(query.execution_options(yield_per=BATCH)).partitions()


def presenter() -> Callable[[Row], list[Any]]:
    """Turns a row into the values staff read: labels for keys, None left empty.

    The labels are translated once per file: per cell, the translation lookups took half a CSV's time.
    """
    tables = [{key: str(label) for key, label in column.labels.items()} if column.labels else None
              for column in COLUMNS]

    def present(row: Row) -> list[Any]:
        return [table[value] if table is not None and value is not None else value for table, value in zip(tables, row)]

    return present


def headers() -> list[str]:
    return [str(column.header) for column in COLUMNS]


def csv_chunks(rows: Iterable[Sequence[Row]]) -> Iterator[bytes]:
    """UTF-8 with a byte order mark: the header, then one chunk per batch of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    present = presenter()
    buffer.write(CSV_BOM)
    writer.writerow(headers())
    for batch in rows:
        writer.writerows([defused(value) for value in present(row)] for row in batch)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():  # no rows at all: the header alone
        yield buffer.getvalue().encode("utf-8")


def xlsx_cell(value: Any) -> Any:
    """openpyxl refuses the control characters XML cannot hold (they carry nothing a reader needs); they
    go before the formula check, so that none can hide a formula behind it."""
    return defused(ILLEGAL_CHARACTERS_RE.sub("", value)) if isinstance(value, str) else value


def xlsx_chunks(rows: Iterable[Sequence[Row]]) -> Iterator[bytes]:
    """A write-only workbook: rows go to a temporary file as they come, then the file is sent in chunks."""
    present = presenter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_l("Ledger")))
    sheet.append(headers())
    for batch in rows:
        for row in batch:
            sheet.append([xlsx_cell(value) for value in present(row)])
    with tempfile.TemporaryFile() as file:
        workbook.save(file)
        file.seek(0)
        while chunk := file.read(FILE_CHUNK):
            yield chunk


WRITERS = {"csv": csv_chunks, "xlsx": xlsx_chunks}


def export_ledger(user: StaffUser, filters: QueueFilters, file_format: str) -> Iterator[bytes]:
    """Audit the export, then return the file's bytes, produced as the response is sent.

    What the user may see is settled and the event committed before any row is read, so that an export
    cut short is still on record.
    """
    query = ledger_query(user, filters)
    audit.record(user, "export", round_id=filters.round_id, format=file_format, filters=filters.as_args())
    db.session.commit()
    return WRITERS[file_format](batches(query))
