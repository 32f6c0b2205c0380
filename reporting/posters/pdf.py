"""Printable A4 posters: one page per QR code, with the round's other channels printed around it.

The text is real text in an embedded subset of Noto Sans CJK SC, so it prints on any printer and can
be searched and copied; the code is a small 1-bit image, so a thousand pages stay a few megabytes.
A round with Tibetan or Uyghur (`Round.languages`) gets its fixed wording in that language too, set in
Noto Serif Tibetan or Noto Naskh Arabic and shaped by HarfBuzz (stacks, joining, right to left).
"""
import re
from collections.abc import Callable, Sequence
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
from reporting.posters.words import CHINESE, Wording, round_wordings

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
# Fonts of the scripts beside Chinese, whole (fpdf2 embeds only the glyphs used), OFL: fonts/OFL.txt.
# A language not here is set in Noto Sans CJK, which has the Latin alphabet too.
FONTS_FOLDER = Path(__file__).parent / "fonts"
SCRIPT_FONTS = {"bo": ("noto-serif-tibetan", "NotoSerifTibetan-Regular.ttf"),
                "ug": ("noto-naskh-arabic", "NotoNaskhArabic-Regular.ttf")}
# Where a line in another script may break: after a space, a tsheg or a shad (Tibetan marks syllables and
# clauses, not words, with them).
BREAK_AFTER = re.compile(r"(?<=[\s\u0f0b\u0f0d])")

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



# The blocks of a page, top to bottom. A language beside Chinese has its call to action smaller and its lines
# further apart: Tibetan stacks reach well above and below a Chinese line of the same size.
NAME = Block(24, 10.5, 2)
NAME_BESIDE = Block(16, 10, 2)
ACTION = Block(44, 19, 1)
ACTION_BESIDE = Block(18, 12, 1)
PIN = Block(15, 7.5, 1)
HEADING = Block(12, 6.5, 1)
HEADING_BESIDE = Block(12, 7, 1)
NOTICE = Block(10, 5, 0)  # as many lines as the contacts leave room for
CONTACT = Block(12, 6.5, 2)
CONTACT_BESIDE = Block(12, 7, 2)
URL = Block(8, 4, 1)
NOTICE_MIN_LINES = 2
GAP = 3
BOLD_STROKE = 0.014  # mm of outline per pt of size: the font has no bold face, so the big lines are drawn thicker


class Voice(NamedTuple):
    """How one language's lines are set: the font, the side they start from, and where they may break."""

    font: str
    start: str  # "L", or "R" for a right-to-left language
    by_words: bool  # Chinese breaks between any two characters; other scripts between words or syllables


CHINESE_VOICE = Voice(FONT, "L", False)


class Said(NamedTuple):
    """One language's lines of a block."""

    lines: list[str]
    voice: Voice
    block: Block


@dataclass
class RoundText:
    """What every page of a round prints alike, broken into lines once for the whole document: the blocks
    that have a wording per language list Chinese first, then each language beside it."""

    names: list[Said]
    actions: list[Said]
    scopes: list[Said]
    notice: list[str]
    contacts: list[Said]
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
    wordings = round_wordings(round_)
    pdf = new_document(round_.name, [wording.language for wording in wordings])
    text = round_text(pdf, round_, wordings)
    for done, code in enumerate(codes, start=1):
        draw_page(pdf, text, code)
        if progress:
            progress(done, len(codes))
    write_atomically(out, pdf.output(), before_replace=before_replace)


def new_document(title: str, languages: list[str]) -> FPDF:
    """A document with the fonts of `languages`."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(False)  # one page per code, whatever the text: overflow is cut, never carried over
    pdf.c_margin = 0
    pdf.set_title(title)
    pdf.set_lang("zh-CN")
    with as_file(files(FONT_PACKAGE) / FONT_FILE) as font_path:
        pdf.add_font(FONT, fname=font_path, collection_font_number=SIMPLIFIED_CHINESE_FACE)
    if languages != [CHINESE]:
        for family, file in (SCRIPT_FONTS[language] for language in languages if language in SCRIPT_FONTS):
            pdf.add_font(family, fname=FONTS_FOLDER / file)
        pdf.set_fallback_fonts([FONT])  # digits, Latin and Chinese names inside Tibetan or Uyghur lines
    return pdf


def voice(wording: Wording) -> Voice:
    if wording.language == CHINESE:
        return CHINESE_VOICE
    family, _file = SCRIPT_FONTS.get(wording.language, (FONT, ""))
    return Voice(family, "R" if wording.right_to_left else "L", True)


def round_text(pdf: FPDF, round_: Round, wordings: list[Wording]) -> RoundText:
    """The round's names, wording and notice as lines, fitted to the page: the notice gets the room the rest
    leaves, or none when that is less than NOTICE_MIN_LINES (a poster in two languages with every channel filled
    in), and no block ever reaches the issuer and the URL."""
    names = in_each(pdf, wordings, lambda wording: [wording.name], NAME, NAME_BESIDE)
    actions = in_each(pdf, wordings, lambda wording: [wording.action], ACTION, ACTION_BESIDE)
    scopes = in_each(pdf, wordings, lambda wording: [wording.scope], HEADING, HEADING_BESIDE)
    contacts = in_each(pdf, wordings, lambda wording: wording.contacts, CONTACT, CONTACT_BESIDE)
    # The channels come first: a name written beside the Chinese one gives way, whole (a cut official name would
    # misname the round); then, in a round of three scripts, the last channels of the last language.
    if spare(names, actions, [], contacts) < 0:
        names = names[:1]
    if spare(names, actions, [], contacts) < 0:
        contacts = fitted_contacts(pdf, wordings, lambda said: spare(names, actions, [], said) >= 0)
    room = int(spare(names, actions, scopes, contacts) // NOTICE.line_height)
    return RoundText(
        names=names,
        actions=actions,
        scopes=scopes,
        notice=fit(pdf, notice_text(round_.notice), NOTICE, room) if room >= NOTICE_MIN_LINES else [],
        contacts=contacts,
        issuer=ISSUERS.get(round_.level, DEFAULT_ISSUER),
    )


def fitted_contacts(pdf: FPDF, wordings: list[Wording], fits: Callable[[list[Said]], bool]) -> list[Said]:
    """Each language's contact lines, less the last items of the last language beside Chinese (then of the one
    before it) until they `fit`; the Chinese ones whole."""
    kept = {wording.language: len(wording.contacts) for wording in wordings}
    while True:
        contacts = in_each(pdf, wordings, lambda wording: wording.contacts[:kept[wording.language]], CONTACT,
                           CONTACT_BESIDE)
        shortened = next((language for language in reversed(kept) if language != CHINESE and kept[language]), None)
        if fits(contacts) or shortened is None:
            return contacts
        kept[shortened] -= 1


def in_each(pdf: FPDF, wordings: list[Wording], items: Callable[[Wording], Sequence[str | None]],
            block: Block, beside: Block) -> list[Said]:
    """The `items` of each language as lines, Chinese in `block`, the others in `beside`; a language whose
    catalog lacks them prints nothing here."""
    said = []
    for wording in wordings:
        voice_, block_ = voice(wording), block if wording.language == CHINESE else beside
        lines = [line for item in items(wording) if item for line in fit(pdf, item, block_, voice=voice_)]
        if lines:
            said.append(Said(lines, voice_, block_))
    return said


def draw_page(pdf: FPDF, text: RoundText, code: QrCode) -> None:
    """The code and the words pinned to it at the same place on every page; the notice and contacts below."""
    pdf.add_page()
    url = intake_url(code)
    y = names_bottom(draw_said(pdf, text.names, MARGIN, centred=True, bold=True))
    y = draw_said(pdf, text.actions, y + GAP, centred=True, bold=True)
    pdf.image(BytesIO(qr_png(url, box_size=QR_BOX_SIZE)), x=(PAGE_WIDTH - QR_SIZE) / 2, y=y, w=QR_SIZE, h=QR_SIZE)
    y += QR_SIZE
    for pin in (SEPARATOR.join(pin_names(code)), code.label):
        y = draw_lines(pdf, fit(pdf, pin, PIN), y, PIN, reserve=True)
    if text.notice:
        y = draw_said(pdf, text.scopes, y + GAP)
        y = draw_lines(pdf, text.notice, y, NOTICE, align="L")
    draw_said(pdf, text.contacts, y + GAP)
    issuer = code.team.name if code.team is not None else text.issuer
    draw_lines(pdf, [issuer], PAGE_HEIGHT - MARGIN - URL.line_height - CONTACT.line_height, CONTACT, align="R")
    draw_lines(pdf, [url], PAGE_HEIGHT - MARGIN - URL.line_height, URL)


def pin_names(code: QrCode) -> list[str]:
    return [owner.name for owner in (code.team, code.unit) if owner is not None]


def height(said: list[Said]) -> float:
    return sum(len(lines) * block.line_height for lines, _voice, block in said)


def names_bottom(y: float) -> float:
    """Below the round's names, and at least below two lines of its Chinese name: a Chinese round's code sits at
    the same place whether its name takes one line or two."""
    return max(y, MARGIN + NAME.line_height * NAME.most)


def spare(names: list[Said], actions: list[Said], scopes: list[Said], contacts: list[Said]) -> float:
    """The millimetres left between the page's top blocks (the names, the calls to action, the code and its pins,
    the `scopes` headings) and the contacts above the issuer and the URL; below 0 they would overlap."""
    top = (names_bottom(MARGIN + height(names)) + GAP + height(actions) + QR_SIZE + 2 * PIN.line_height
           + GAP + height(scopes))
    bottom = PAGE_HEIGHT - MARGIN - URL.line_height - CONTACT.line_height - height(contacts) - GAP  # - issuer
    return bottom - top


def draw_said(pdf: FPDF, said: list[Said], y: float, centred: bool = False, bold: bool = False) -> float:
    """Each language's lines in its own font, from the side it starts (or centred), one language after another."""
    for lines, voice_, block in said:
        y = draw_lines(pdf, lines, y, block, align="C" if centred else voice_.start, bold=bold, font=voice_.font)
    return y


def use_font(pdf: FPDF, font: str, size: float) -> None:
    """`font`, shaped by HarfBuzz when it is a script's beside Chinese (each line then runs in the direction of
    its first strong letter). Chinese lines are set unshaped, as on a Chinese round's posters: the same to the
    pixel, and shaping every line would double the CPU time a page takes (BENCHMARKS.md, "Posters")."""
    pdf.set_font(font, size=size)
    pdf.set_text_shaping(font != FONT)


def draw_lines(pdf: FPDF, lines: list[str], y: float, block: Block, align: str = "C",
               reserve: bool = False, bold: bool = False, font: str = FONT) -> float:
    """Prints `lines` from `y` and returns where the next block starts; a `reserve`d block keeps its full height
    even when shorter, so that the code and labels sit at the same place on every page."""
    use_font(pdf, font, block.size)
    mode = TextMode.FILL_STROKE if bold else TextMode.FILL
    with pdf.local_context(text_mode=mode, line_width=block.size * BOLD_STROKE):
        for line in lines:
            pdf.set_xy(MARGIN, y)
            pdf.cell(CONTENT_WIDTH, block.line_height, line, align=align)
            y += block.line_height
    return y + block.line_height * (block.most - len(lines)) if reserve else y


def fit(pdf: FPDF, text: str, block: Block, most: int | None = None, voice: Voice = CHINESE_VOICE) -> list[str]:
    """`text` in lines of the content width, at most `most` (else the block's own), the last ending in …
    when some was left out."""
    most = most or block.most
    use_font(pdf, voice.font, block.size)
    lines = [line for paragraph in text.splitlines() for line in wrap(pdf, paragraph, voice.by_words)]
    if len(lines) <= most:
        return lines
    last = lines[most - 1]
    while last and pdf.get_string_width(last + ELLIPSIS) > CONTENT_WIDTH:
        last = last[:-1]
    return lines[: most - 1] + [last + ELLIPSIS]


def wrap(pdf: FPDF, paragraph: str, by_words: bool = False) -> list[str]:
    """Breaks between any two characters, as Chinese is set (it has no spaces to break at); `by_words`, only
    where BREAK_AFTER allows, unless a word is wider than the line by itself."""
    pieces = list(paragraph)
    if by_words:
        pieces = [piece for word in BREAK_AFTER.split(paragraph) if word
                  for piece in (list(word) if pdf.get_string_width(word) > CONTENT_WIDTH else [word])]
    lines = [""]
    for piece in pieces:
        if lines[-1] and pdf.get_string_width(lines[-1] + piece) > CONTENT_WIDTH:
            lines.append("")
        lines[-1] += piece
    return lines
