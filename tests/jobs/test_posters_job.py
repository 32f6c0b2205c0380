"""Posters past what a request may make: the admin is sent to a job's page, which then offers the PDF; every
page's code scans back to its own posting location."""
from urllib.parse import unquote

import pypdfium2

from reporting.posters.locations import LocationRow, new_location_codes, save_codes
from reporting.rounds import views as round_views
from tests.factories import log_in, make_round, make_staff
from tests.jobs.conftest import job_id_of, state, wait_for_end
from tests.posters.test_posters import decode

LABELS = ["村委会门口", "镇政府公告栏", "卫生院大厅"]


def test_a_large_poster_batch_is_made_by_a_job_and_every_page_scans(live_app, monkeypatch, tmp_path):
    monkeypatch.setattr(round_views, "MAX_WEB_POSTERS", 2)
    round_ = make_round(name="海报任务巡察")
    codes = save_codes(new_location_codes(round_, [LocationRow(label, None) for label in LABELS]))
    client = live_app.test_client()
    log_in(client, make_staff("admin"))

    job_id = job_id_of(client.get(f"/admin/rounds/{round_.id}/posters.pdf"))
    assert state(wait_for_end(client, job_id)) == "done"
    download = client.get(f"/staff/jobs/{job_id}/download", buffered=True)
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    disposition = download.headers["Content-Disposition"]
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "海报任务巡察-海报.pdf"
    path = tmp_path / "posters.pdf"
    path.write_bytes(download.data)
    document = pypdfium2.PdfDocument(path)
    try:
        scanned = [decode(page) for page in document]
    finally:
        document.close()
    assert scanned == [f"http://reporting.test/r/{code.token}" for code in codes]


def test_a_batch_within_the_limit_is_answered_at_once(live_app):
    round_ = make_round(name="小批海报巡察")
    client = live_app.test_client()
    log_in(client, make_staff("admin"))
    response = client.get(f"/admin/rounds/{round_.id}/posters.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
