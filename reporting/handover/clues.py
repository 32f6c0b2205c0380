"""The numbered clue list, as a workbook (clues.xlsx) and as a PDF whose Chinese text can be copied out.

Its headers are the ledger's own words and stay Chinese whatever the admin's language (the spec: ledger headers
"always in Chinese"); the package goes to Chinese receiving bodies. Rows are added one at a time: the workbook
streams them to a temporary file; the PDF, like the posters (reporting/posters/pdf.py), is kept by fpdf2 until
it is written, a few kilobytes a row beside the font's subset.
"""
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime
from importlib.resources import as_file, files

from fpdf import FPDF, FontFace
from fpdf.enums import WrapMode
from openpyxl import Workbook

from reporting.files import file_chunks
from reporting.followup.bodies import body_label
from reporting.labels import STATUS_LABELS
from reporting.models import Report
from reporting.posters.pdf import FONT_FILE, FONT_PACKAGE, SIMPLIFIED_CHINESE_FACE
from reporting.queue.ledger import text_cell

HEADERS = ("序号", "线索编号", "编号", "受理日期", "被反映人", "职务", "被反映单位", "问题类别", "线索摘要",
           "拟处置方式", "状态/移交")
SHEET = "问题线索"
TITLE = "{round}　问题线索移交清单　{day.year}年{day.month}月{day.day}日"
TRANSFERRED = "移交{body}"
REFERENCE = "（{reference}）"

# A4 landscape, in millimetres: the widths follow what each column holds (the summary gets the most room).
WIDTHS = (9, 22, 12, 19, 18, 20, 28, 22, 69, 18, 40)
MARGIN = 10
FONT = "noto-sans-sc"
FONT_SIZE = 8
TITLE_SIZE = 12


def subject_unit(report: Report) -> str:
    """The unit of the person reported as typed; else the inspected unit the report was made about."""
    return report.subject_unit or (report.unit.name if report.unit else "")


def state(report: Report) -> str:
    """Its status and, once transferred, to whom: "已移交；移交纪检监察机关（巡转〔2026〕3号）"."""
    text = str(STATUS_LABELS[report.status])
    if report.transferred_on:
        text += "；" + TRANSFERRED.format(body=body_label(report.transfer_body, report.transfer_body_name))
        if report.transfer_reference:
            text += REFERENCE.format(reference=report.transfer_reference)
    return text


def row(serial: int, report: Report) -> list[str | int]:
    return [serial, report.clue_number or "", report.id, report.received_on.isoformat(), report.subject_name,
            report.subject_position, subject_unit(report), report.category, report.clue_summary,
            report.clue_disposal, state(report)]


class ClueList:
    """Both files of the list, filled row by row and closed into the package's temporary files."""

    def __init__(self, round_name: str, made_at: datetime):
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(SHEET)
        self.sheet.append(list(HEADERS))
        self.pdf = new_document(round_name, made_at)
        self.stack = ExitStack()
        self.table = self.stack.enter_context(self.pdf.table(
            col_widths=WIDTHS, headings_style=FontFace(emphasis=""), wrapmode=WrapMode.CHAR, repeat_headings=1,
            line_height=FONT_SIZE * 0.5))
        self.add_pdf_row(HEADERS)

    def add(self, values: list[str | int]) -> None:
        self.sheet.append([text_cell(value) for value in values])
        self.add_pdf_row([str(value) for value in values])

    def add_pdf_row(self, values) -> None:
        cells = self.table.row()
        for value in values:
            cells.cell(value)

    def xlsx(self) -> Iterator[bytes]:
        """The workbook, saved to a temporary file and read back in chunks."""
        with tempfile.TemporaryFile() as file:
            self.workbook.save(file)
            file.seek(0)
            yield from file_chunks(file)

    def pdf_bytes(self) -> bytes:
        self.stack.close()  # draws the table
        return bytes(self.pdf.output())


def new_document(round_name: str, made_at: datetime) -> FPDF:
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_margins(MARGIN, MARGIN)
    pdf.set_auto_page_break(True, MARGIN)
    title = TITLE.format(round=round_name, day=made_at.date())
    pdf.set_title(title)
    pdf.set_lang("zh-CN")
    with as_file(files(FONT_PACKAGE) / FONT_FILE) as font_path:
        pdf.add_font(FONT, fname=font_path, collection_font_number=SIMPLIFIED_CHINESE_FACE)
    pdf.add_page()
    pdf.set_font(FONT, size=TITLE_SIZE)
    pdf.multi_cell(0, TITLE_SIZE * 0.5, title, wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, size=FONT_SIZE)
    return pdf
