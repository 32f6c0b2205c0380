"""The ledger as offices keep it: the reports the user may see, filtered like the queue, as one workbook of
three sheets (see `reporting.queue.sheets`) or one sheet as CSV.

Rows are read in batches through a server-side cursor and the workbook is written in openpyxl's write-only
mode to a temporary file, so a ledger of a million reports does not sit in memory. Every cell a spreadsheet
could take for a formula is defused. The file is in Chinese whatever the user's language, values as well as
headers: offices file it as it comes out.
"""
import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy import Row, Select

from reporting import audit
from reporting.access import rounds_for, visible_reports
from reporting.extensions import db
from reporting.files import file_chunks
from reporting.models import DEFAULT_TIMEZONE, StaffUser, utcnow
from reporting.queue.services import QueueFilters, filtered
from reporting.queue.sheets import DEFAULT_SHEET, SHEETS, Sheet

BATCH = 1000
# What Excel, LibreOffice and WPS read as the start of a formula (OWASP's list, with tab and CR).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_BOM = "\ufeff"  # Excel in China opens a CSV as UTF-8 only with it; otherwise as GBK
LOCALE = "zh_Hans"  # of the values' labels: the file is filed as it is, like its Chinese headers
ALL_ROUNDS = "全部轮次"
HEADER_ROW = 2  # below the title row
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class UnknownSheet(ValueError):
    """`sheet=` names none of the ledger's sheets."""


def defused(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def text_cell(value: Any) -> Any:
    """openpyxl refuses the control characters XML cannot hold (they carry nothing a reader needs); they go
    before the formula check, so that none can hide a formula behind it. The CSV drops them too."""
    return defused(ILLEGAL_CHARACTERS_RE.sub("", value)) if isinstance(value, str) else value


def sheet_query(user: StaffUser, filters: QueueFilters, sheet: Sheet, today: date) -> Select:
    """The sheet's rows of what `user` may see now, with the queue's filters."""
    query = filtered(visible_reports(user), filters)
    return sheet.select(query.with_only_columns(*sheet.expressions(today), maintain_column_froms=True), today)


def batches(query: Select) -> Iterator[Sequence[Row]]:
    """The rows in lists of BATCH, through a server-side cursor on PostgreSQL."""
    yield from db.session.execute(query.execution_options(yield_per=BATCH)).partitions()


class Ledger:
    """What one export settles before it reads a row (and before the audit's commit expires the user): the
    sheets' queries, the names of the rounds, the round of the title and the moment of the export."""

    def __init__(self, user: StaffUser, filters: QueueFilters):
        rounds = {round_.id: round_ for round_ in rounds_for(user)}
        self.round_names: Mapping[int, str] = {round_id: round_.name for round_id, round_ in rounds.items()}
        round_ = rounds.get(filters.round_id) if filters.round_id is not None else None
        self.now = utcnow().astimezone(ZoneInfo(round_.timezone if round_ else DEFAULT_TIMEZONE))
        self.round_name = round_.name if round_ else ALL_ROUNDS
        self.queries = {name: sheet_query(user, filters, sheet, self.now.date()) for name, sheet in SHEETS.items()}

    def title(self, sheet: Sheet) -> str:
        return f"{self.round_name}　{sheet.name}　导出时间：{self.now:%Y-%m-%d %H:%M}　内部资料"

    def rows(self, sheet: Sheet) -> Iterator[list[list[Any]]]:
        """The sheet's cells, one list per batch; labels in Chinese, text cells defused."""
        with force_locale(LOCALE):
            present = sheet.presenter(self.round_names)
        for batch in batches(self.queries[sheet.name]):
            yield [[text_cell(value) for value in present(row)] for row in batch]


def csv_chunks(ledger: Ledger, sheet: Sheet) -> Iterator[bytes]:
    """UTF-8 with a byte order mark: the header, then one chunk per batch of rows (no title row: a CSV is
    read by programs as often as by people)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(CSV_BOM)
    writer.writerow(sheet.headers())
    for rows in ledger.rows(sheet):
        writer.writerows(rows)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():  # no rows at all: the header alone
        yield buffer.getvalue().encode("utf-8")


def bold(worksheet: WriteOnlyWorksheet, values: Iterable[str]) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(worksheet, value)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def write_sheet(workbook: Workbook, ledger: Ledger, sheet: Sheet) -> None:
    """A title row, then the header frozen with a filter over the data. Widths and the frozen pane go before
    the first row (a write-only sheet writes them first); the filter's range after the last."""
    worksheet = workbook.create_sheet(sheet.name)
    for index, column in enumerate(sheet.columns, 1):
        worksheet.column_dimensions[get_column_letter(index)].width = column.width
    worksheet.freeze_panes = f"A{HEADER_ROW + 1}"
    worksheet.append(bold(worksheet, [ledger.title(sheet)]))
    worksheet.append(bold(worksheet, sheet.headers()))
    last_row = HEADER_ROW
    for rows in ledger.rows(sheet):
        for row in rows:
            worksheet.append(row)
        last_row += len(rows)
    worksheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(sheet.columns))}{last_row}"


def xlsx_chunks(ledger: Ledger) -> Iterator[bytes]:
    """The three sheets go to a temporary file as their rows come, then the file is sent in chunks. Dates
    stay dates (openpyxl formats them yyyy-mm-dd), so that offices can sort and filter by them."""
    workbook = Workbook(write_only=True)
    for sheet in SHEETS.values():
        write_sheet(workbook, ledger, sheet)
    with tempfile.TemporaryFile() as file:
        workbook.save(file)
        file.seek(0)
        yield from file_chunks(file)


def export_ledger(user: StaffUser, filters: QueueFilters, file_format: str,
                  sheet: str | None = None) -> Iterator[bytes]:
    """Audit the export, then return the file's bytes, produced as they are read: the whole workbook, or
    for a CSV one sheet (台账 unless `sheet` names another; UnknownSheet if it names none).

    What the user may see is settled and the event committed before any row is read, so that an export
    cut short is still on record.
    """
    if file_format == "csv" and (sheet or DEFAULT_SHEET) not in SHEETS:
        raise UnknownSheet(sheet)
    ledger = Ledger(user, filters)
    detail: dict[str, Any] = {"format": file_format}
    if file_format == "csv":
        detail["sheet"] = sheet or DEFAULT_SHEET
    audit.record(user, "export", round_id=filters.round_id, **detail, filters=filters.as_args())
    db.session.commit()
    if file_format == "csv":
        return csv_chunks(ledger, SHEETS[sheet or DEFAULT_SHEET])
    return xlsx_chunks(ledger)

