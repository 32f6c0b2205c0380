"""`qr png`: the round's own code, read back by a real decoder."""
import io

import zxingcpp
from PIL import Image

from reporting.posters.codes import qr_matrix
from tests.factories import make_round


def decode(png: bytes) -> str:
    (barcode,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    return barcode.text


def test_qr_png_decodes_to_the_rounds_intake_url(runner, tmp_path):
    round_ = make_round()
    out = tmp_path / "round.png"
    result = runner.invoke(args=["qr", "png", str(round_.id), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert decode(out.read_bytes()) == f"http://reporting.test/r/{round_.round_code.token}"


def test_qr_png_writes_under_qr_by_default(runner, tmp_path, monkeypatch):
    round_ = make_round()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(args=["qr", "png", str(round_.id)])
    assert result.exit_code == 0, result.output
    written = tmp_path / "qr" / f"round-{round_.id}.png"
    assert decode(written.read_bytes()).endswith(round_.round_code.token)
    assert [path.name for path in (tmp_path / "qr").iterdir()] == [written.name]


def test_qr_png_keeps_a_quiet_zone_of_four_modules(runner, tmp_path):
    round_ = make_round()
    out = tmp_path / "round.png"
    runner.invoke(args=["qr", "png", str(round_.id), "--out", str(out)])
    image = Image.open(out).convert("L")
    dark = image.point(lambda value: 255 if value < 128 else 0).getbbox()
    box_size = image.width // len(qr_matrix(f"http://reporting.test/r/{round_.round_code.token}").get_matrix())
    assert image.width >= 1000 and dark[0] == dark[1] == 4 * box_size
    assert image.width - dark[2] == 4 * box_size


def test_qr_png_of_an_unknown_round_says_so(runner, tmp_path):
    result = runner.invoke(args=["qr", "png", "999999", "--out", str(tmp_path / "x.png")])
    assert result.exit_code != 0
    assert "没有编号为 999999 的巡察轮次" in result.output
    assert not (tmp_path / "x.png").exists()
