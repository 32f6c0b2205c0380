"""PDF scans of letters that staff attach: checked to be PDFs, kept byte for byte, listed without a name, served
only as downloads to those who may see the report, and handed over with their own extension."""
import io

import pytest
from PIL import Image
from sqlalchemy import select

from reporting.extensions import db
from reporting.handover.services import write_handover
from reporting.models import Attachment, Report
from reporting.triage.services import apply_action
from reporting.uploads import MAX_FILE_BYTES
from tests.factories import log_in
from tests.handover.conftest import CLUE, opened
from tests.reports.conftest import record

# A small PDF as scanners write them, with a script an inline viewer would run: it must only ever be downloaded.
SCAN = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"
        b"\nendobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (0, 90, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def recorded_with(client, staff, two_teams, post_form, *files, user="member1"):
    log_in(client, staff[user])
    return record(post_form, two_teams, team_id=str(two_teams.teams[0].id),
                  attachments=[(io.BytesIO(data), name) for data, name in files])


def test_a_pdf_scan_is_kept_byte_for_byte_beside_a_re_encoded_photo(client, staff, two_teams, post_form):
    response = recorded_with(client, staff, two_teams, post_form, (SCAN, "来信扫描件.pdf"), (png(), "照片.png"))
    assert response.status_code == 302
    scan, photo = db.session.scalars(select(Report)).one().attachments
    assert (scan.content_type, scan.size, scan.width, scan.height) == ("application/pdf", len(SCAN), None, None)
    assert (photo.content_type, photo.width, photo.height) == ("image/png", 20, 10)
    download = client.get(f"/staff/attachments/{scan.id}")
    assert download.status_code == 200 and download.data == SCAN and download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"] == f'attachment; filename="attachment-{scan.id}.pdf"'
    assert download.headers["X-Content-Type-Options"] == "nosniff" and download.headers["Cache-Control"] == "no-store"
    assert "Content-Disposition" not in client.get(f"/staff/attachments/{photo.id}").headers


def test_the_report_page_lists_the_scan_by_number_without_its_file_name(client, staff, two_teams, post_form):
    recorded_with(client, staff, two_teams, post_form, (SCAN, "张三来信.pdf"))
    report = db.session.scalars(select(Report)).one()
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    link = f'<a href="/staff/attachments/{report.attachments[0].id}" download>附件 1（PDF）</a>'
    assert link in page and "张三来信" not in page and "<img" not in page.split('id="main"')[1]


@pytest.mark.parametrize(("data", "name", "reason"), [
    (png(), "扫描件.pdf", "该文件名为 PDF，但内容不是 PDF 文件：扫描件.pdf。"),
    (b"<html><script>alert(1)</script></html>", "letter.html",
     "只能上传 PDF 扫描件或 JPEG、PNG、WebP 格式的图片：letter.html。"),
    (b"%PDF-1.7\n" + b"0" * MAX_FILE_BYTES, "big.pdf", "PDF 文件超过 10 MB：big.pdf。"),
])
def test_a_file_that_is_no_acceptable_pdf_is_refused_and_the_form_keeps_its_fields(
        client, staff, two_teams, post_form, data, name, reason):
    response = recorded_with(client, staff, two_teams, post_form, (data, name))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and reason in page and "来信反映乙单位违规吃喝问题。" in page
    assert db.session.scalars(select(Attachment)).all() == [] and db.session.scalars(select(Report)).all() == []


def test_six_files_are_refused_as_files_not_photos(client, staff, two_teams, post_form):
    response = recorded_with(client, staff, two_teams, post_form, *[(SCAN, f"{n}.pdf") for n in range(6)])
    assert response.status_code == 400 and "最多上传 5 个附件。" in response.get_data(as_text=True)


def test_a_member_of_another_team_cannot_download_the_scan(app, client, staff, two_teams, post_form):
    recorded_with(client, staff, two_teams, post_form, (SCAN, "scan.pdf"))
    scan = db.session.scalars(select(Attachment)).one()
    other = app.test_client()
    log_in(other, staff["member2"])
    assert other.get(f"/staff/attachments/{scan.id}").status_code == 404
    assert client.get(f"/staff/attachments/{scan.id}").status_code == 200


def test_the_handover_holds_the_scan_as_a_pdf(client, staff, two_teams, post_form):
    recorded_with(client, staff, two_teams, post_form, (SCAN, "scan.pdf"), user="leader1")
    report = db.session.scalars(select(Report)).one()
    apply_action(report, staff["leader1"], "clue", CLUE)
    out = io.BytesIO()
    write_handover(two_teams, out, force=True)
    path = f"clues/{report.clue_number}/attachments/{report.attachments[0].id}.pdf"
    assert opened(out.getvalue()).read(path) == SCAN
