"""Printable A4 posters: one page per QR code, with the round's other channels printed around it.

The text is real text in an embedded subset of Noto Sans CJK SC, so it prints on any printer and can
be searched and copied; the code is a small 1-bit image, so a thousand pages stay a few megabytes.
"""
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import as_file, files
from io import BytesIO
from pathlib import Path
from typing import NamedTuple

from fpdf import FPDF
from fpdf.enums import TextMode

from reporting.files import write_atomically
from reporting.links import intake_url
from reporting.models import QrCode, Round
from reporting.notice import notice_text
from reporting.posters.codes import qr_png

# The poster's printed wording, in one place. It is poster content, not interface text: commands run
# without a request locale, so it does not go through flask_babel (a later change may route it through Babel).
CALL_TO_ACTION = "扫码反映问题"
SCOPE_HEADING = "受理范围"
DATES = "受理时间：{start}至{end}"
HOURS = "（{hours}）"
PHONE = "电话：{phone}"
POSTAL_BOX = "邮政信箱：{postal_box}"
EMAIL = "电子邮箱：{email}"
DATE = "{day.year}年{day.month}月{day.day}日"
BY_NAME_OR_NOT = "可实名也可匿名反映"
# Who puts the poster up: the team a code is pinned to, else the round's inspection office by its level.
ISSUERS = {"province": "省委巡视办", "city": "市委巡察办", "county": "县委巡察办"}
DEFAULT_ISSUER = "巡视巡察办"
SEPARATOR = " · "
ELLIPSIS = "…"

# Noto Sans CJK as PyPI's noto-cjk-sans-otc ships it: one TTC whose faces are 0 JP, 1 KR, 2 SC, 3 TC,
# 4 HK, then the same five in Mono. Only the glyphs used are embedded.
FONT_PACKAGE = "noto_cjk_sans_otc"
FONT_FILE = "NotoSansCJK-Regular.ttc"
SIMPLIFIED_CHINESE_FACE = 2
FONT = "noto-sans-sc"

# Geometry in millimetres, A4 portrait. The code is ~110 mm wide: it scans from a few steps away.
PAGE_WIDTH, PAGE_HEIGHT = 210, 297
MARGIN = 15
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
QR_SIZE = 110
QR_BOX_SIZE = 10  # pixels per module; whole pixels keep the modules sharp when scaled



class Block(NamedTuple):
    size: float  # pt
    line_height: float  # mm
    most: int  # lines


# The blocks of a page, top to bottom.
NAME = Block(24, 10.5, 2)
ACTION = Block(44, 19, 1)
PIN = Block(15, 7.5, 1)
HEADING = Block(12, 6.5, 1)
NOTICE = Block(10, 5, 0)  # as many lines as the contacts leave room for
CONTACT = Block(12, 6.5, 2)
URL = Block(8, 4, 1)
NOTICE_MIN_LINES = 2
GAP = 3
BOLD_STROKE = 0.014  # mm of outline per pt of size: the font has no bold face, so the big lines are drawn thicker


@dataclass
class RoundText:
    """What every page of a round prints alike, broken into lines once for the whole document."""

    name: list[str]
    notice: list[str]
    contacts: list[str]
    issuer: str


def write_posters(round_: Round, codes: list[QrCode], out: Path,
                  progress: Callable[[int, int], None] | None = None,
                  before_replace: Callable[[], object] | None = None) -> None:
    """One page per code, at `out` only once the whole document is made: never half a PDF there.

    The document is written to a temporary file beside `out`; `before_replace` then runs (the command
    commits new codes there, so that a run that fails leaves neither a file nor codes), and only then does
    the file take its place. fpdf2 keeps the document in memory until the end, but the font's ~60 MB
    dominates: a page, with its ~1 KB 1-bit image, adds ~11 KB, so 1,381 pages peak at 1.08 times what
    100 do (BENCHMARKS.md, "Posters") and batching would pay only past several thousand pages.
    """
    pdf = new_document(round_.name)
    text = round_text(pdf, round_)
    for done, code in enumerate(codes, start=1):
        draw_page(pdf, text, code)
        if progress:
            progress(done, len(codes))
    write_atomically(out, pdf.output(), before_replace=before_replace)


def new_document(title: str) -> FPDF:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(False)  # one page per code, whatever the text: overflow is cut, never carried over
    pdf.c_margin = 0
    pdf.set_title(title)
    pdf.set_lang("zh-CN")
    with as_file(files(FONT_PACKAGE) / FONT_FILE) as font_path:
        pdf.add_font(FONT, fname=font_path, collection_font_number=SIMPLIFIED_CHINESE_FACE)
    return pdf


def round_text(pdf: FPDF, round_: Round) -> RoundText:
    """The round's name, notice and contacts as lines; the notice gets the room the contacts leave."""
    contacts = [line for item in contact_items(round_) for line in fit(pdf, item, CONTACT)]
    return RoundText(
        name=fit(pdf, round_.name, NAME),
        notice=fit(pdf, notice_text(round_.notice), NOTICE, max(notice_room(len(contacts)), NOTICE_MIN_LINES)),
        contacts=contacts,
        issuer=ISSUERS.get(round_.level, DEFAULT_ISSUER),
    )


def contact_items(round_: Round) -> list[str]:
    """Dates and the offline channels, each only when the round has it."""
    dates = DATES.format(start=DATE.format(day=round_.starts_on), end=DATE.format(day=round_.ends_on))
    if round_.intake_hours:
        dates += HOURS.format(hours=round_.intake_hours)
    items = [BY_NAME_OR_NOT, dates]
    if round_.phone:
        items.append(PHONE.format(phone=round_.phone))
    if round_.postal_box:
        items.append(POSTAL_BOX.format(postal_box=round_.postal_box))
    if round_.email:
        items.append(EMAIL.format(email=round_.email))
    return items


def draw_page(pdf: FPDF, text: RoundText, code: QrCode) -> None:
    """The code and the words pinned to it at the same place on every page; the notice and contacts below."""
    pdf.add_page()
    url = intake_url(code)
    y = draw_lines(pdf, text.name, MARGIN, NAME, reserve=True, bold=True)
    y = draw_lines(pdf, [CALL_TO_ACTION], y + GAP, ACTION, bold=True)
    pdf.image(BytesIO(qr_png(url, box_size=QR_BOX_SIZE)), x=(PAGE_WIDTH - QR_SIZE) / 2, y=y, w=QR_SIZE, h=QR_SIZE)
    y += QR_SIZE
    for pin in (SEPARATOR.join(pin_names(code)), code.label):
        y = draw_lines(pdf, fit(pdf, pin, PIN), y, PIN, reserve=True)
    if text.notice:
        y = draw_lines(pdf, [SCOPE_HEADING], y + GAP, HEADING, align="L")
        y = draw_lines(pdf, text.notice, y, NOTICE, align="L")
    draw_lines(pdf, text.contacts, y + GAP, CONTACT, align="L")
    issuer = code.team.name if code.team is not None else text.issuer
    draw_lines(pdf, [issuer], PAGE_HEIGHT - MARGIN - URL.line_height - CONTACT.line_height, CONTACT, align="R")
    draw_lines(pdf, [url], PAGE_HEIGHT - MARGIN - URL.line_height, URL)


def pin_names(code: QrCode) -> list[str]:
    return [owner.name for owner in (code.team, code.unit) if owner is not None]


def notice_room(contact_lines: int) -> int:
    """How many notice lines fit between the fixed top of the page and the contacts above the URL."""
    top = (MARGIN + NAME.line_height * NAME.most + GAP + ACTION.line_height + QR_SIZE + 2 * PIN.line_height
           + GAP + HEADING.line_height)
    bottom = PAGE_HEIGHT - MARGIN - URL.line_height - CONTACT.line_height * (contact_lines + 1) - GAP  # + issuer
    return int((bottom - top) // NOTICE.line_height)


def draw_lines(pdf: FPDF, lines: list[str], y: float, block: Block, align: str = "C",
               reserve: bool = False, bold: bool = False) -> float:
    """Prints `lines` from `y` and returns where the next block starts; a `reserve`d block keeps its full height
    even when shorter, so that the code and labels sit at the same place on every page."""
    pdf.set_font(FONT, size=block.size)
    mode = TextMode.FILL_STROKE if bold else TextMode.FILL
    with pdf.local_context(text_mode=mode, line_width=block.size * BOLD_STROKE):
        for line in lines:
            pdf.set_xy(MARGIN, y)
            pdf.cell(CONTENT_WIDTH, block.line_height, line, align=align)
            y += block.line_height
    return y + block.line_height * (block.most - len(lines)) if reserve else y


def fit(pdf: FPDF, text: str, block: Block, most: int | None = None) -> list[str]:
    """`text` in lines of the content width, at most `most` (else the block's own), the last ending in …
    when some was left out."""
    most = most or block.most
    pdf.set_font(FONT, size=block.size)
    lines = [line for paragraph in text.splitlines() for line in wrap(pdf, paragraph)]
    if len(lines) <= most:
        return lines
    last = lines[most - 1]
    while last and pdf.get_string_width(last + ELLIPSIS) > CONTENT_WIDTH:
        last = last[:-1]
    return lines[: most - 1] + [last + ELLIPSIS]


def wrap(pdf: FPDF, paragraph: str) -> list[str]:
    """Breaks between any two characters, as Chinese is set (it has no spaces to break at)."""
    lines = [""]
    for char in paragraph:
        if lines[-1] and pdf.get_string_width(lines[-1] + char) > CONTENT_WIDTH:
            lines.append("")
        lines[-1] += char
    return lines
