"""`qr posters`: every page scanned back by a real decoder, its words read back as text, and no half
results (file or codes) when the input is bad or the run fails."""
from datetime import datetime, timezone

import pypdfium2
import pytest
import zxingcpp
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from reporting.extensions import db
from reporting.models import QrCode
from reporting.posters import commands, pdf
from reporting.posters.locations import (
    LocationRow,
    LocationsError,
    codes_for_posters,
    new_location_codes,
    read_locations_csv,
    save_codes,
)
from reporting.posters.pdf import notice_text, write_posters
from reporting.rounds.services import TeamPlan
from tests.factories import make_round

BASE_URL = "http://reporting.test"


def pages(path) -> list[tuple[str, str]]:
    """Each page as (the URL its QR code decodes to, its extracted text)."""
    document = pypdfium2.PdfDocument(path)
    try:
        return [(decode(page), page.get_textpage().get_text_range()) for page in document]
    finally:
        document.close()


def decode(page) -> str:
    (barcode,) = zxingcpp.read_barcodes(page.render(scale=1).to_pil().convert("L"))
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    return barcode.text


def location_code_count(round_) -> int:
    return db.session.scalar(
        select(func.count()).select_from(QrCode).where(QrCode.round_id == round_.id, ~QrCode.is_round_code)
    )


def location_codes(round_, rows: list[LocationRow]) -> list[QrCode]:
    """Codes for `rows`, saved at once (the command saves them only once their PDF is made)."""
    return save_codes(new_location_codes(round_, rows))


def live_location_codes(round_) -> list[QrCode]:
    return list(db.session.scalars(
        select(QrCode).where(QrCode.round_id == round_.id, ~QrCode.is_round_code).order_by(QrCode.id)
    ))


def write_csv(path, text: str, encoding: str = "utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def round_():
    return make_round(
        name="示范县第三轮巡察", email="xuncha@example.org", intake_hours="工作日 8:30—17:30",
        notice="<p>主要受理反映领导班子及其成员问题的来信来电来访。</p><p>涉法涉诉问题请向政法机关反映。</p>",
        teams=[TeamPlan("第一巡察组", ["示范村党支部", "县教育局"])],
    )


def test_each_page_scans_to_its_own_locations_intake_url_and_reads_as_text(runner, tmp_path, round_):
    village, bureau = round_.units
    locations = write_csv(tmp_path / "locations.csv",
                          f"label,unit_id\n村委会公告栏,{village.id}\n教育局一楼大厅,{bureau.id}\n镇汽车站,\n")
    out = tmp_path / "posters.pdf"

    result = runner.invoke(args=["qr", "posters", str(round_.id), "--out", str(out), "--locations", str(locations)])

    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith(f"{out}\t3 pages")
    codes = live_location_codes(round_)
    assert [(code.label, code.unit, code.team) for code in codes] == [
        ("村委会公告栏", village, village.team), ("教育局一楼大厅", bureau, bureau.team), ("镇汽车站", None, None)
    ]
    printed = pages(out)
    for (url, text), code in zip(printed, codes, strict=True):
        assert url == f"{BASE_URL}/r/{code.token}"
        for words in (round_.name, "扫码反映问题", code.label, "受理时间", "电话：0000-1234567",
                      "邮政信箱：测试信箱 1 号", "电子邮箱：xuncha@example.org", "工作日 8:30—17:30",
                      "涉法涉诉问题请向政法机关反映。", "可实名也可匿名反映", url):
            assert words in text
    assert "第一巡察组 · 示范村党支部" in printed[0][1]
    assert printed[0][1].count("第一巡察组") == 2 and "巡视巡察办" in printed[2][1]  # who put it up
    assert "第一巡察组 · 县教育局" in printed[1][1]


def test_the_text_is_set_in_the_embedded_simplified_chinese_face(app, tmp_path, round_):
    out = tmp_path / "posters.pdf"
    write_posters(round_, codes_for_posters(round_), out)
    assert b"/BaseFont /" in out.read_bytes()
    assert b"+NotoSansCJKSC" in out.read_bytes()  # a subset of face 2 of the TTC; 0 would be JP


def test_posters_made_again_for_the_same_locations_print_the_same_codes(runner, tmp_path, round_):
    village = round_.units[0]
    locations = write_csv(tmp_path / "locations.csv", f"label,unit_id\n村委会公告栏,{village.id}\n镇汽车站,\n")
    printed = []
    for run in range(2):
        out = tmp_path / f"posters-{run}.pdf"
        args = ["qr", "posters", str(round_.id), "--out", str(out), "--locations", str(locations)]
        assert runner.invoke(args=args).exit_code == 0
        printed.append([url for url, _text in pages(out)])
    assert printed[0] == printed[1] and location_code_count(round_) == 2
    more = write_csv(tmp_path / "more.csv", f"label,unit_id\n村委会公告栏,{village.id}\n卫生院门口,\n")
    args = ["qr", "posters", str(round_.id), "--out", str(tmp_path / "more.pdf"), "--locations", str(more)]
    assert runner.invoke(args=args).exit_code == 0
    assert [url for url, _text in pages(tmp_path / "more.pdf")][0] == printed[0][0] and location_code_count(round_) == 3


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_locations_csv_in_utf8_with_bom_or_gb18030(tmp_path, encoding):
    path = write_csv(tmp_path / "locations.csv", "label,unit_id\r\n村委会公告栏,7\r\n镇卫生院门口,\r\n", encoding)
    assert read_locations_csv(path) == [LocationRow("村委会公告栏", 7, 2), LocationRow("镇卫生院门口", None, 3)]


def test_locations_csv_may_have_only_labels_and_blank_lines(tmp_path):
    path = write_csv(tmp_path / "locations.csv", " label \n村委会公告栏\n\n镇卫生院门口\n")
    assert [row.label for row in read_locations_csv(path)] == ["村委会公告栏", "镇卫生院门口"]


def test_one_reader_takes_names_excel_leftovers_and_notes(tmp_path):
    """Excel's trailing comma (a blank header cell, empty trailing cells) and a 备注 column are ignored."""
    text = "team,unit,label,备注,\n第一组,甲单位,甲单位大门,门卫室旁,\n第一组,乙单位,乙单位食堂,,\n"
    rows = read_locations_csv(write_csv(tmp_path / "locations.csv", text))
    assert [(row.team, row.unit, row.label) for row in rows] == [("第一组", "甲单位", "甲单位大门"),
                                                                 ("第一组", "乙单位", "乙单位食堂")]


@pytest.mark.parametrize(("text", "message"), [
    ("label,unit_id\n村委会,1\n,2\n", "line 3: the label is empty"),
    ("label,unit_id\n村委会,1\n卫生院,二\n", "line 3: unit_id '二' is not a whole number"),
    ("label,unit_id\n村委会,1\n卫生院,2,x\n", "line 3: more cells than columns"),
    ("label,unit\n村委会,1\n", "line 1: the columns must be label"),
    ("unit_id\n1\n", "line 1: the columns must be label"),
    ("", "line 1: the header row is missing"),
    ("label\n", "line 2: the file has a header but no locations"),
    ("label\n" + "长" * 301 + "\n", "line 2: the label is longer than 300 characters"),
])
def test_a_bad_locations_csv_is_refused_naming_the_line(tmp_path, text, message):
    with pytest.raises(LocationsError, match=message):
        read_locations_csv(write_csv(tmp_path / "locations.csv", text))


def test_a_bad_row_writes_nothing_and_creates_no_codes(runner, tmp_path, round_):
    unit = round_.units[0]
    locations = write_csv(tmp_path / "locations.csv", f"label,unit_id\n村委会公告栏,{unit.id}\n卫生院,x\n")
    out = tmp_path / "posters.pdf"

    result = runner.invoke(args=["qr", "posters", str(round_.id), "--out", str(out), "--locations", str(locations)])

    assert result.exit_code == 1
    assert "第 3 行：unit_id 'x' 不是整数" in result.output
    assert sorted(tmp_path.iterdir()) == [locations]
    assert location_code_count(round_) == 0


def test_a_unit_of_another_round_is_refused(runner, tmp_path, round_):
    other_unit = make_round(name="另一轮巡察").units[0]
    locations = write_csv(tmp_path / "locations.csv",
                          f"label,unit_id\n村委会公告栏,{round_.units[0].id}\n别处,{other_unit.id}\n")
    out = tmp_path / "posters.pdf"

    result = runner.invoke(args=["qr", "posters", str(round_.id), "--out", str(out), "--locations", str(locations)])

    assert result.exit_code == 1
    assert f"第 3 行：单位 {other_unit.id} 不是本轮巡察的被巡察单位" in result.output
    assert not out.exists()
    assert location_code_count(round_) == 0


def test_without_a_csv_the_rounds_live_location_codes_are_printed(runner, tmp_path, round_):
    first, revoked, last = location_codes(round_, [LocationRow("甲", None, 2), LocationRow("乙", None, 3),
                                                   LocationRow("丙", round_.units[1].id, 4)])
    revoked.revoked_at = datetime.now(timezone.utc)
    db.session.commit()
    out = tmp_path / "posters.pdf"

    result = runner.invoke(args=["qr", "posters", str(round_.id), "--out", str(out)])

    assert result.exit_code == 0, result.output
    assert [url for url, _ in pages(out)] == [f"{BASE_URL}/r/{first.token}", f"{BASE_URL}/r/{last.token}"]
    assert location_code_count(round_) == 3


def test_a_round_without_location_codes_gets_a_poster_of_its_own_code(runner, tmp_path, round_):
    out = tmp_path / "posters.pdf"
    result = runner.invoke(args=["qr", "posters", str(round_.id), "--out", str(out)])
    assert result.exit_code == 0, result.output
    ((url, text),) = pages(out)
    assert url == f"{BASE_URL}/r/{round_.round_code.token}"
    assert round_.name in text


def test_a_failure_midway_leaves_no_file_and_no_codes(runner, tmp_path, round_, monkeypatch):
    out = tmp_path / "posters.pdf"
    out.write_bytes(b"last week's posters")
    locations = write_csv(tmp_path / "locations.csv", "label\n甲\n乙\n丙\n")
    real_qr_png, calls = pdf.qr_png, []

    def fail_on_page_two(url, **kwargs):
        calls.append(url)
        if len(calls) == 2:
            raise RuntimeError("page two")
        return real_qr_png(url, **kwargs)

    monkeypatch.setattr(pdf, "qr_png", fail_on_page_two)
    result = runner.invoke(args=["qr", "posters", str(round_.id), "--out", str(out), "--locations", str(locations)])

    assert isinstance(result.exception, RuntimeError)
    assert out.read_bytes() == b"last week's posters"
    assert sorted(tmp_path.iterdir()) == [locations, out]  # no temporary file left beside it
    assert location_code_count(round_) == 0


def test_codes_that_cannot_be_saved_leave_no_file(runner, tmp_path, round_, monkeypatch):
    """The PDF takes its place only once its codes are saved: no poster may lead to a code that does not exist."""
    out = tmp_path / "posters.pdf"
    locations = write_csv(tmp_path / "locations.csv", "label\n甲\n")

    def database_gone(codes):
        raise OperationalError("INSERT", {}, Exception("connection lost"))

    monkeypatch.setattr(commands, "save_codes", database_gone)
    result = runner.invoke(args=["qr", "posters", str(round_.id), "--out", str(out), "--locations", str(locations)])

    assert isinstance(result.exception, OperationalError)
    assert sorted(tmp_path.iterdir()) == [locations]
    assert location_code_count(round_) == 0


def test_an_output_that_cannot_be_written_is_said_plainly_and_makes_no_codes(runner, tmp_path, round_):
    (tmp_path / "not-a-folder").write_text("")
    out = tmp_path / "not-a-folder" / "posters.pdf"
    locations = write_csv(tmp_path / "locations.csv", "label\n甲\n")

    result = runner.invoke(args=["qr", "posters", str(round_.id), "--out", str(out), "--locations", str(locations)])

    assert result.exit_code == 1
    assert f"无法写入 {out}" in result.output
    assert location_code_count(round_) == 0


def test_an_unknown_round_is_refused(runner, tmp_path):
    out = tmp_path / "posters.pdf"
    result = runner.invoke(args=["qr", "posters", "999999", "--out", str(out)])
    assert result.exit_code == 1
    assert "没有编号为 999999 的巡察轮次" in result.output
    assert not out.exists()


def test_long_words_are_cut_to_keep_one_page_per_code(app, tmp_path, round_):
    round_.name = "很长的巡察名称" * 12
    round_.notice = "<p>" + "受理范围很长。" * 200 + "</p>"
    codes = location_codes(round_, [LocationRow("很长的张贴地点" * 10, None, 2), LocationRow("短", None, 3)])
    out = tmp_path / "posters.pdf"
    progress = []

    write_posters(round_, codes, out, progress=lambda done, total: progress.append((done, total)))

    assert progress == [(1, 2), (2, 2)]
    (url, text), _ = pages(out)
    assert url == f"{BASE_URL}/r/{codes[0].token}"
    assert text.count("…") == 3  # name, label and notice
    assert "电话：0000-1234567" in text


def test_the_notice_is_printed_as_plain_text():
    html = "<h3>受理范围</h3><p>反映<strong>领导干部</strong>问题 &amp; 其他</p><ul><li>一</li><li>二</li></ul><br>"
    assert notice_text(html) == "受理范围\n反映领导干部问题 & 其他\n一\n二"
