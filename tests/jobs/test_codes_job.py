"""Every live code of a round as PNGs in one zip: answered at once for a small round, by a job past what a request
may make; each file named by round, unit and place, and each image scanning back to its own code."""
import io
import zipfile
from urllib.parse import unquote

import zxingcpp
from PIL import Image

from reporting.extensions import db
from reporting.models import utcnow
from reporting.posters.locations import LocationRow, new_location_codes, save_codes
from reporting.rounds import views as round_views
from tests.factories import log_in, make_round, make_staff
from tests.jobs.conftest import job_id_of, state, wait_for_end


def scanned(archive: zipfile.ZipFile) -> dict[str, str]:
    def decode(name: str) -> str:
        (barcode,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(archive.read(name))).convert("L"))
        return barcode.text

    return {name: decode(name) for name in archive.namelist()}


def round_with_codes():
    round_ = make_round(name="二维码巡察")
    unit = round_.units[0]
    codes = save_codes(new_location_codes(round_, [LocationRow("村委会门口", unit.id), LocationRow("车站", None),
                                                   LocationRow("撤下的地点", None)]))
    codes[2].revoked_at = utcnow()
    db.session.commit()
    return round_, codes


def test_a_rounds_live_codes_come_as_named_pngs_in_one_zip(live_app):
    round_, codes = round_with_codes()
    client = live_app.test_client()
    log_in(client, make_staff("admin"))
    response = client.get(f"/admin/rounds/{round_.id}/codes.zip", buffered=True)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert unquote(response.headers["Content-Disposition"].split("filename*=UTF-8''")[1]) == "二维码巡察-二维码.zip"
    unit = round_.units[0]
    assert scanned(zipfile.ZipFile(io.BytesIO(response.data))) == {
        "二维码巡察-本轮总二维码.png": f"http://reporting.test/r/{round_.round_code.token}",
        f"二维码巡察-{unit.name}-村委会门口.png": f"http://reporting.test/r/{codes[0].token}",
        "二维码巡察-车站.png": f"http://reporting.test/r/{codes[1].token}",
    }  # the revoked one is left out


def test_a_round_of_many_codes_gets_its_zip_from_a_job(live_app, monkeypatch):
    monkeypatch.setattr(round_views, "MAX_WEB_POSTERS", 2)
    round_, _codes = round_with_codes()
    client = live_app.test_client()
    log_in(client, make_staff("admin"))
    job_id = job_id_of(client.get(f"/admin/rounds/{round_.id}/codes.zip"))
    assert state(wait_for_end(client, job_id)) == "done"
    download = client.get(f"/staff/jobs/{job_id}/download", buffered=True)
    assert len(scanned(zipfile.ZipFile(io.BytesIO(download.data)))) == 3
