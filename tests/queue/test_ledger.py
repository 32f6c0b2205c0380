"""GET /staff/export.csv and /staff/export.xlsx: the right rows, no reporter identity, no formulas, audited."""
import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from reporting.extensions import db
from reporting.models import AuditEvent
from reporting.queue.ledger import batches, csv_chunks, ledger_query
from reporting.queue.services import QueueFilters
from tests.factories import log_in
from tests.queue.conftest import REPORTER_NAME, REPORTER_PHONE, file_report, set_status

FORMATS = ("csv", "xlsx")


@pytest.fixture
def client(client):
    """Responses read to the end inside the request, as a server streams them (the test client would not)."""
    original = client.open
    client.open = lambda *args, **kwargs: original(*args, **kwargs | {"buffered": True})
    return client


def ledger_rows(response) -> list[list]:
    """The header and rows of a downloaded ledger, whichever its format."""
    if response.mimetype == "text/csv":
        return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def every_byte_of(response) -> bytes:
    """The file's bytes; for a workbook, the unpacked bytes of every part of it."""
    if response.mimetype == "text/csv":
        return response.data
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_ledger_holds_the_filtered_reports_the_user_may_see(client, world, file_format):
    filed = file_report(world.current, world.unit("丙单位"), content="丙单位的问题", subject_name="赵某")
    set_status(filed, "filed")
    received = file_report(world.current, world.unit("丁单位"), content="丁单位的问题")
    file_report(world.current, world.unit("甲单位"), content="第一组的问题")
    file_report(world.current, content="还没有分组的问题")
    log_in(client, world.member2)

    response = client.get(f"/staff/export.{file_format}?lang=en")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    header, *rows = ledger_rows(response)
    assert header[:3] == ["No.", "Received on", "Channel"]
    assert [str(row[0]) for row in rows] == [str(filed.id), str(received.id)]  # oldest first, as a ledger
    assert rows[0][header.index("Person reported")] == "赵某"
    assert rows[0][header.index("Status")] == "Filed"
    assert rows[0][header.index("Public status")] == "Concluded"
    assert rows[0][header.index("Unit")] == "丙单位"

    filtered = ledger_rows(client.get(f"/staff/export.{file_format}?status=received&q=丁单位"))[1:]
    assert [str(row[0]) for row in filtered] == [str(received.id)]


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_ledger_never_contains_a_reporters_identity(client, world, file_format):
    named = file_report(world.current, world.unit("甲单位"), named=True, content="署名反映的问题")
    assert named.identity_ciphertext is not None
    log_in(client, world.admin)
    response = client.get(f"/staff/export.{file_format}")
    content = every_byte_of(response)
    assert "署名反映的问题".encode() in content
    for secret in (REPORTER_NAME, REPORTER_PHONE):
        assert secret.encode() not in content
    assert named.identity_ciphertext not in content


def test_the_csv_starts_with_a_byte_order_mark_for_excel(client, world):
    file_report(world.current, world.unit("甲单位"))
    log_in(client, world.admin)
    response = client.get("/staff/export.csv")
    assert response.data.startswith("\ufeff".encode())
    assert response.mimetype == "text/csv"


@pytest.mark.parametrize("file_format", FORMATS)
def test_cells_that_would_be_formulas_are_defused(client, world, file_format):
    file_report(world.current, world.unit("甲单位"), content='=HYPERLINK("http://evil.example","点我")',
                subject_name="+1+1", subject_unit="-2", subject_position="@SUM(A1)")
    file_report(world.current, world.unit("乙单位"), content="\t=1+1", subject_name="\r=2")
    log_in(client, world.admin)
    header, first, second = ledger_rows(client.get(f"/staff/export.{file_format}?lang=en"))
    assert first[header.index("Content")] == '\'=HYPERLINK("http://evil.example","点我")'
    assert first[header.index("Person reported")] == "'+1+1"
    assert first[header.index("Their unit")] == "'-2"
    assert first[header.index("Their position")] == "'@SUM(A1)"
    assert second[header.index("Content")] == "'\t=1+1"
    assert second[header.index("Person reported")].startswith("'")
    if file_format == "xlsx":
        workbook = load_workbook(io.BytesIO(client.get("/staff/export.xlsx").data))
        assert all(cell.data_type != "f" for row in workbook.worksheets[0].iter_rows() for cell in row)


def test_control_characters_that_xml_refuses_do_not_break_the_workbook(client, world):
    file_report(world.current, world.unit("甲单位"), content="\x01=1+1 前面有控制字符\x0b")
    log_in(client, world.admin)
    header, row = ledger_rows(client.get("/staff/export.xlsx?lang=en"))
    assert row[header.index("Content")] == "'=1+1 前面有控制字符"


@pytest.mark.parametrize("file_format", FORMATS)
def test_each_export_writes_one_audit_event(client, world, file_format):
    file_report(world.current, world.unit("甲单位"))
    log_in(client, world.leader1)
    response = client.get(f"/staff/export.{file_format}?round={world.current.id}&status=received&channel=fax")
    assert response.status_code == 200
    response.close()
    (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert event.actor_id == world.leader1.id
    assert event.round_id == world.current.id
    assert event.detail == {"format": file_format, "filters": {"round": str(world.current.id), "status": "received"}}


def test_the_ledger_is_read_and_written_in_batches(app, world, monkeypatch):
    monkeypatch.setattr("reporting.queue.ledger.BATCH", 3)
    reports = [file_report(world.current, world.unit("甲单位")) for _ in range(7)]
    query = ledger_query(world.admin, QueueFilters())
    assert [[row.id for row in batch] for batch in batches(query)] == [
        [report.id for report in reports[i:i + 3]] for i in (0, 3, 6)]
    with app.test_request_context():
        chunks = list(csv_chunks(batches(query)))
    assert len(chunks) == 3  # one per batch, the header with the first: never the whole file in one piece
    assert len(b"".join(chunks).decode("utf-8-sig").splitlines()) == 8


def test_an_empty_ledger_still_has_its_header(client, world):
    log_in(client, world.member2)
    assert ledger_rows(client.get("/staff/export.csv?lang=en"))[0][0] == "No."
