"""Posters of a round with Tibetan or Uyghur: both languages on each page, shaped by HarfBuzz, the code unchanged.

Uyghur comes back from the PDF exactly as the catalog has it. Tibetan comes back with its vowel signs moved
(the PDF holds glyphs in visual order), so its lines are checked by their set of code points and its call to
action by its pixels against Pillow's own HarfBuzz shaping (raqm) of the same words in the same font.
"""
import ctypes

import pypdfium2
import pytest
import zxingcpp
from flask_babel import force_locale
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, features

from reporting.extensions import db
from reporting.i18n import DEFAULT_LOCALE
from reporting.posters import pdf
from reporting.posters.locations import LocationRow, new_location_codes, save_codes
from reporting.posters.words import CHINESE, END_ISOLATE, ISOLATE, phrases, round_wordings
from tests.factories import make_round

BASE_URL = "http://reporting.test"
SCALE = 4  # pixels per point when a page is rendered
MM = 72 / 25.4  # points per millimetre
NOTICE = "<p>主要受理反映领导班子及其成员问题的来信来电来访。</p>"


def catalog(language: str) -> dict[str, str]:
    """The poster's phrases as the language's compiled catalog has them."""
    with force_locale(language):
        return phrases()


def bilingual_round(languages: list[str], **fields):
    """A round in Chinese and `languages`, by default with only a phone beside the web: room for its notice."""
    round_ = make_round(**({"postal_box": "", "notice": NOTICE} | fields))
    round_.languages = languages  # the admin's choice: not a field of create_round on this branch
    db.session.commit()
    return round_


def print_posters(round_, tmp_path, labels=("村委会公告栏",)):
    codes = save_codes(new_location_codes(round_, [LocationRow(label, None, row) for row, label in
                                                   enumerate(labels, start=2)]))
    out = tmp_path / "posters.pdf"
    pdf.write_posters(round_, codes, out)
    return out, codes


def rendered(path) -> list[tuple[list[str], Image.Image]]:
    """Each page as (its text line by line, its picture at SCALE pixels per point, in grey)."""
    document = pypdfium2.PdfDocument(path)
    try:
        return [(baseline_lines(page.get_textpage()), page.render(scale=SCALE).to_pil().convert("L"))
                for page in document]
    finally:
        document.close()


def baseline_lines(text_page) -> list[str]:
    """The characters drawn on each baseline, top to bottom. The extractor's own line breaks will not do:
    it starts a new line at each Tibetan vowel sign drawn above its letter."""
    return [line for line, _top, _bottom in by_baseline(text_page)]


def by_baseline(text_page) -> list[tuple[str, float, float]]:
    """Each baseline's characters, and the top and bottom of their glyphs in points from the page's top."""
    lines: dict[float, tuple[str, float, float]] = {}
    x, y = ctypes.c_double(), ctypes.c_double()
    page_height = pdf.PAGE_HEIGHT * MM
    for index in range(text_page.count_chars()):
        pypdfium2.raw.FPDFText_GetCharOrigin(text_page, index, ctypes.byref(x), ctypes.byref(y))
        char = text_page.get_text_range(index, 1)
        if char in "\r\n":
            continue
        _left, bottom, _right, top = text_page.get_charbox(index)
        line, highest, lowest = lines.get(round(y.value, 1), ("", page_height, 0.0))
        ink = char.strip() and top > bottom  # a space has no glyph to reach anywhere
        lines[round(y.value, 1)] = (line + char, min(highest, page_height - top) if ink else highest,
                                    max(lowest, page_height - bottom) if ink else lowest)
    return [lines[baseline] for baseline in sorted(lines, reverse=True)]


def lines_apart(out) -> list[tuple[str, float, float]]:
    """The first page's lines (`by_baseline`), each checked to end above the next one's top."""
    document = pypdfium2.PdfDocument(out)
    try:
        lines = by_baseline(document[0].get_textpage())
    finally:
        document.close()
    for (upper, _top, bottom), (lower, top, _bottom) in zip(lines, lines[1:]):
        assert bottom < top, (upper, lower)
    return lines


def decoded(picture: Image.Image) -> str:
    (barcode,) = zxingcpp.read_barcodes(picture)
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    return barcode.text


def ink(picture: Image.Image) -> Image.Image:
    """The black parts of a grey picture, cropped to them."""
    black = picture.point(lambda value: 255 if value < 128 else 0).convert("1")
    return black.crop(black.getbbox())


def stray(drawn: Image.Image, reference: Image.Image, reach: int = 5) -> float:
    """The share of `drawn`'s ink farther than reach // 2 pixels from any of `reference`'s, both aligned at
    their top left corner: 0 when the two are the same shapes at the same places."""
    canvas = Image.new("1", (max(drawn.width, reference.width), max(drawn.height, reference.height)), 0)
    ours, theirs = canvas.copy(), canvas.copy()
    ours.paste(drawn, (0, 0))
    theirs.paste(reference, (0, 0))
    near = theirs.convert("L").filter(ImageFilter.MaxFilter(reach)).convert("1")
    outside = ImageChops.logical_and(ours, ImageChops.invert(near))
    return outside.histogram()[255] / ours.histogram()[255]


def drawn_by_pillow(text: str, block: pdf.Block, layout: ImageFont.Layout) -> Image.Image:
    """`text` in the poster's Tibetan font at the block's size, outlined as the poster's bold lines are."""
    font_path = pdf.FONTS_FOLDER / pdf.SCRIPT_FONTS["bo"][1]
    font = ImageFont.truetype(str(font_path), block.size * SCALE, layout_engine=layout)
    canvas = Image.new("L", (int(pdf.PAGE_WIDTH * MM * SCALE), int(block.size * SCALE * 3)), 255)
    outline = block.size * pdf.BOLD_STROKE * MM * SCALE / 2  # half the stroke lies outside the outline
    ImageDraw.Draw(canvas).text((10, block.size * SCALE), text, font=font, fill=0, stroke_width=outline,
                                stroke_fill=0)
    return ink(canvas)


def test_a_uyghur_poster_prints_the_catalogs_words_exactly_and_its_code_scans(app, tmp_path):
    round_ = bilingual_round(["ug"])
    out, (code,) = print_posters(round_, tmp_path)

    ((lines, picture),) = rendered(out)

    assert decoded(picture) == f"{BASE_URL}/r/{code.token}"
    uyghur, chinese = catalog("ug"), catalog(DEFAULT_LOCALE)
    for key in ("action", "scope", "by_name_or_not"):
        assert uyghur[key] != chinese[key] and any("\u0600" <= char <= "\u06ff" for char in uyghur[key])
        assert uyghur[key] in lines  # the whole line, in logical order
        assert chinese[key] in lines
    assert "主要受理反映领导班子及其成员问题的来信来电来访。" in lines
    assert "电话：0000-1234567" in lines


def test_a_tibetan_poster_prints_each_line_and_shapes_its_stacks(app, tmp_path):
    round_ = bilingual_round(["bo"])
    out, (code,) = print_posters(round_, tmp_path)

    ((lines, picture),) = rendered(out)

    assert decoded(picture) == f"{BASE_URL}/r/{code.token}"
    tibetan = catalog("bo")
    expected = [tibetan["action"], tibetan["scope"], tibetan["by_name_or_not"],
                tibetan["phone"] % {"phone": "0000-1234567"}]
    for line in expected:
        assert any(set(printed) == set(line) for printed in lines), line
    # The call to action sits under the Chinese one, above the code: compare its pixels with Pillow's shaping.
    top = pdf.MARGIN + pdf.NAME.line_height * pdf.NAME.most + pdf.GAP + pdf.ACTION.line_height
    band = picture.crop((0, int((top - pdf.GAP) * MM * SCALE), picture.width,
                         int((top + pdf.ACTION_BESIDE.line_height) * MM * SCALE)))
    assert features.check("raqm")
    shaped = drawn_by_pillow(tibetan["action"], pdf.ACTION_BESIDE, ImageFont.Layout.RAQM)
    assert stray(ink(band), shaped) < 0.02 and stray(shaped, ink(band)) < 0.02
    # The comparison tells shapings apart: the same words laid out glyph by glyph, without HarfBuzz, are far off.
    unshaped = drawn_by_pillow(tibetan["action"], pdf.ACTION_BESIDE, ImageFont.Layout.BASIC)
    assert stray(ink(band), unshaped) > 0.1


def test_a_value_inside_right_to_left_words_keeps_its_own_order(app):
    round_ = bilingual_round(["ug"], email="xuncha@example.org")
    chinese, uyghur = round_wordings(round_)
    assert "电话：0000-1234567" in chinese.contacts and not chinese.right_to_left
    assert uyghur.right_to_left
    assert catalog("ug")["phone"] % {"phone": f"{ISOLATE}0000-1234567{END_ISOLATE}"} in uyghur.contacts


def test_the_second_language_prints_the_channels_as_the_admin_wrote_them_in_it(app):
    round_ = bilingual_round(["bo"], postal_box="县委巡察办信箱", intake_hours="工作日",
                             translations={"bo": {"postal_box": "རྫོང་ཞིབ་བཤེར་ཡིག་སྒམ།"}})
    chinese, tibetan = round_wordings(round_)
    assert "邮政信箱：县委巡察办信箱" in chinese.contacts
    assert catalog("bo")["postal_box"] % {"postal_box": "རྫོང་ཞིབ་བཤེར་ཡིག་སྒམ།"} in tibetan.contacts
    assert any("工作日" in line for line in tibetan.contacts), "what was not written in Tibetan stays Chinese"


@pytest.mark.parametrize("languages", [["en"], ["kk"]])
def test_english_and_a_language_without_a_catalog_print_chinese_only(app, tmp_path, languages):
    """English is not printed; a language whose catalog lacks the posters' words falls back to Chinese, which
    the page has already: nothing in English, nothing twice, and the page as a Chinese round's."""
    round_ = bilingual_round([], email="xuncha@example.org", intake_hours="工作日 8:30—17:30")
    out, codes = print_posters(round_, tmp_path, labels=("甲", "乙"))
    chinese_only = rendered(out)
    round_.languages = languages
    pdf.write_posters(round_, codes, out)

    assert [page for page, _picture in rendered(out)] == [page for page, _picture in chinese_only]
    assert [picture.tobytes() for _text, picture in rendered(out)] == [p.tobytes() for _t, p in chinese_only]
    assert b"Tibetan" not in out.read_bytes() and b"Naskh" not in out.read_bytes()


def test_every_channel_in_two_languages_leaves_the_notice_out_rather_than_overlap(app, tmp_path):
    round_ = bilingual_round(["bo"], postal_box="测试信箱 1 号", email="xuncha@example.org",
                             intake_hours="工作日 8:30—17:30")
    out, _codes = print_posters(round_, tmp_path)

    ((lines, _picture),) = rendered(out)

    assert "受理范围" not in lines and "主要受理反映领导班子及其成员问题的来信来电来访。" not in lines
    assert "电子邮箱：xuncha@example.org" in lines
    assert any(set(line) == set(catalog("bo")["email"] % {"email": "xuncha@example.org"}) for line in lines)


@pytest.mark.parametrize("language", ["bo", "ug"])
@pytest.mark.parametrize("channels", [{}, {"postal_box": "测试信箱 1 号", "email": "xuncha@example.org",
                                          "intake_hours": "工作日 8:30—17:30"}])
def test_no_line_reaches_into_another_or_into_the_code(app, tmp_path, language, channels):
    out, _codes = print_posters(bilingual_round([language], **channels), tmp_path)
    lines = lines_apart(out)
    code_top = (pdf.MARGIN + pdf.NAME.line_height * pdf.NAME.most + pdf.GAP + pdf.ACTION.line_height
                + pdf.ACTION_BESIDE.line_height) * MM
    action, _top, bottom = lines[2]
    assert action == catalog(language)["action"] or set(action) == set(catalog(language)["action"])
    assert bottom < code_top


WRITTEN_NAMES = {"bo": "ཡུལ་ཤུལ་ཁུལ་གྱི་ཞིབ་བཤེར་ཚོགས་ཆུང་དང་པོ།", "ug": "يۈشۇ ئوبلاستلىق پارتكومنىڭ بىرىنچى نۆۋەتلىك تەكشۈرۈشى"}


@pytest.mark.parametrize("language", ["bo", "ug"])
@pytest.mark.parametrize("channels", [{}, {"postal_box": "测试信箱 1 号", "email": "xuncha@example.org",
                                          "intake_hours": "工作日 8:30—17:30"}])
def test_the_rounds_name_as_written_in_its_language_prints_under_the_chinese(app, tmp_path, language, channels):
    """A bilingual poster heads with both names; the code moves down below them and the rest still fits."""
    name = WRITTEN_NAMES[language]
    round_ = bilingual_round([language], name="玉树州委第一轮巡察", translations={language: {"name": name}},
                             **channels)
    out, (code,) = print_posters(round_, tmp_path)
    ((_lines, picture),) = rendered(out)
    lines = lines_apart(out)

    printed = [line for line, _top, _bottom in lines]
    assert printed[0] == "玉树州委第一轮巡察"
    assert printed[1] == name if language == "ug" else set(printed[1]) == set(name)
    assert printed[2] == "扫码反映问题"
    (barcode,) = zxingcpp.read_barcodes(picture)
    assert barcode.text == f"{BASE_URL}/r/{code.token}"
    code_top = min(point.y for point in (barcode.position.top_left, barcode.position.top_right)) / SCALE
    code_bottom = max(point.y for point in (barcode.position.bottom_left, barcode.position.bottom_right)) / SCALE
    assert all(bottom < code_top or top > code_bottom for _line, top, bottom in lines)


ALL_CHANNELS = {"postal_box": "测试信箱 1 号", "email": "xuncha@example.org", "intake_hours": "工作日 8:30—17:30"}
LONG_NAME = {"bo": "ཡུལ་ཤུལ་བོད་རིགས་རང་སྐྱོང་ཁུལ་ཏང་ཨུད་ཀྱི་ལོ་ ༢༠༢༦ ལོའི་ཞིབ་བཤེར་ཐེངས་དང་པོའི་ཞིབ་བཤེར་ཚོགས་ཆུང་གཉིས་པ།"}


@pytest.mark.parametrize(("languages", "channels", "written_name_printed"), [
    (["bo"], {}, True),  # room for a name of two lines
    (["bo"], ALL_CHANNELS, False),  # the channels come first: the name is left out, whole
    (["bo", "ug"], ALL_CHANNELS, False),  # three scripts: the Uyghur channels go too, nothing overlaps
])
def test_the_channels_never_reach_the_issuer_and_the_url(app, tmp_path, languages, channels, written_name_printed):
    name = LONG_NAME["bo"]
    document = pdf.new_document("test", [CHINESE, "bo"])
    assert len(pdf.fit(document, name, pdf.NAME_BESIDE, voice=pdf.Voice(pdf.SCRIPT_FONTS["bo"][0], "L", True))) == 2
    round_ = bilingual_round(languages, name="玉树州委第一轮巡察", translations={"bo": {"name": name}}, **channels)
    out, (code,) = print_posters(round_, tmp_path)
    ((_lines, picture),) = rendered(out)
    lines = lines_apart(out)

    printed = [line for line, _top, _bottom in lines]
    assert decoded(picture) == f"{BASE_URL}/r/{code.token}"
    assert printed[-2:] == [pdf.DEFAULT_ISSUER, f"{BASE_URL}/r/{code.token}"]  # nothing drawn below or among them
    assert (set(printed[1]) <= set(name)) is written_name_printed
    assert "电子邮箱：xuncha@example.org" in printed or not channels  # the Chinese channels whole
    assert any(set(line) == set(catalog("bo")["by_name_or_not"]) for line in printed)  # the Tibetan kept longest


def test_a_name_not_written_in_the_language_is_not_printed_twice(app):
    round_ = bilingual_round(["bo"], name="玉树州委第一轮巡察")
    chinese, tibetan = round_wordings(round_)
    assert chinese.name == "玉树州委第一轮巡察" and tibetan.name == ""


def test_other_scripts_break_between_words_or_syllables_never_inside_one(app):
    document = pdf.new_document("test", [CHINESE, "ug", "bo"])
    for language in ("ug", "bo"):
        words = catalog(language)["by_name_or_not"] * 4
        voice = pdf.Voice(pdf.SCRIPT_FONTS[language][0], "L", True)
        lines = pdf.fit(document, words, pdf.CONTACT_BESIDE, most=9, voice=voice)
        assert len(lines) > 1 and "".join(lines) == words
        assert all(line[-1] in " \u0f0b\u0f0d" for line in lines[:-1])


