"""The zip `write_handover` writes, read back: manifest, clue list (xlsx and PDF), a folder per clue, no identity."""
import hashlib
import io
import json

import pypdfium2
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from reporting.extensions import db
from reporting.handover.clues import HEADERS
from reporting.handover.services import write_handover
from reporting.models import AuditEvent
from tests.handover.conftest import NAME, PHONE, opened


def handed_over(round_, **options) -> tuple[bytes, object]:
    out = io.BytesIO()
    manifest = write_handover(round_, out, **options)
    return out.getvalue(), manifest


def clue_folders(triaged) -> dict[str, object]:
    return {report.clue_number: report for report in (triaged.clue, triaged.named, triaged.transferred_clue)}


def test_the_manifest_lists_every_other_file_with_its_size_and_sha256(triaged):
    data, manifest = handed_over(triaged.round)
    package = opened(data)
    listed = json.loads(package.read("manifest.json"))
    assert listed["round"] == {"id": triaged.round.id, "name": "测试巡察"} and listed["created_at"]
    names = sorted(name for name in package.namelist() if name != "manifest.json")
    assert sorted(entry["path"] for entry in listed["files"]) == names
    for entry in listed["files"]:
        content = package.read(entry["path"])
        assert (entry["bytes"], entry["sha256"]) == (len(content), hashlib.sha256(content).hexdigest())
    assert len(manifest.files) == len(names)


def test_the_clue_list_numbers_the_clues_in_order_in_the_workbook(triaged):
    package = opened(handed_over(triaged.round)[0])
    sheet = load_workbook(io.BytesIO(package.read("clues.xlsx"))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert tuple(rows[0]) == HEADERS
    clues = [triaged.clue, triaged.named, triaged.transferred_clue]
    assert [(row[0], row[1], row[2]) for row in rows[1:]] == [
        (serial, report.clue_number, report.id) for serial, report in enumerate(clues, start=1)]
    assert rows[1][4:6] == ["张三", "站长"] and rows[1][6] == "甲单位" and rows[1][9] == "初步核实"
    assert rows[1][10] == "问题线索" and rows[3][10] == "已移交；移交县纪委监委（纪检监察机关）（巡转〔2026〕7号）"
    assert all(str(triaged.transfer.id) != str(row[2]) for row in rows[1:])  # a transfer without a clue is no clue


def test_the_pdf_clue_list_gives_its_chinese_text_back(triaged):
    package = opened(handed_over(triaged.round)[0])
    document = pypdfium2.PdfDocument(package.read("clues.pdf"))
    try:
        text = "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    for expected in ("测试巡察", "问题线索移交清单", "线索编号", "拟处置方式", "涉嫌违规发放津贴", "挪用扶贫款",
                     triaged.clue.clue_number, "县纪委监委"):
        assert expected in text.replace("\r\n", "").replace("\n", "")


def test_each_clue_folder_holds_its_text_messages_and_photos_as_uploaded(triaged):
    package = opened(handed_over(triaged.round)[0])
    for number, report in clue_folders(triaged).items():
        text = package.read(f"clues/{number}/report.txt").decode("utf-8")
        assert f"线索编号：{number}" in text and report.content in text
        assert f"clues/{number}/messages.txt" in package.namelist()
    named = triaged.named.clue_number
    messages = package.read(f"clues/{named}/messages.txt").decode("utf-8")
    order = [messages.index(body) for body in ("补充：他家在三组。", "已收到，正在核实。", "组内备注：先核实账目。")]
    assert order == sorted(order) and "leader1" in messages
    for attachment_id, uploaded in triaged.photos.items():
        owner = triaged.clue if attachment_id in {a.id for a in triaged.clue.attachments} else triaged.named
        assert package.read(f"clues/{owner.clue_number}/attachments/{attachment_id}.jpg") == uploaded
    assert not [name for name in package.namelist() if f"/{triaged.transfer.id}" in name]


def test_no_identity_is_in_any_byte_unless_asked(triaged):
    data, _ = handed_over(triaged.round)
    package = opened(data)
    for name in package.namelist():
        content = package.read(name)
        for secret in (NAME, PHONE):
            assert secret.encode("utf-8") not in content, name
        assert not name.endswith("identity.txt")
    assert b"identity" not in data


def test_identities_asked_for_go_to_named_clues_only_each_audited(triaged, staff):
    data, _ = handed_over(triaged.round, with_identity=True, user=staff["admin"])
    package = opened(data)
    identities = [name for name in package.namelist() if name.endswith("identity.txt")]
    assert identities == [f"clues/{triaged.named.clue_number}/identity.txt"]
    assert package.read(identities[0]).decode("utf-8") == f"姓名：{NAME}\n电话：{PHONE}\n"
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "identity.handed_over")).all()
    assert [(event.report_id, event.actor_id) for event in events] == [(triaged.named.id, staff["admin"].id)]
    handover = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.handed_over"))
    assert handover.detail["with_identity"] is True


def test_a_clue_number_unsafe_in_a_path_gets_a_safe_folder(triaged):
    triaged.clue.clue_number = "../XC:2026/1"
    db.session.commit()
    package = opened(handed_over(triaged.round)[0])
    folders = {name.split("/")[1] for name in package.namelist() if name.startswith("clues/")}
    assert "XC_2026_1" in folders and all(".." not in name for name in package.namelist())


@pytest.mark.parametrize("with_identity", [False, True])
def test_the_handover_is_audited_and_marks_the_round(triaged, staff, with_identity):
    write_handover(triaged.round, io.BytesIO(), with_identity=with_identity, user=staff["admin"])
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.handed_over"))
    assert event.round_id == triaged.round.id and event.actor_id == staff["admin"].id
    assert event.detail["forced"] is False and event.detail["undecided"] == 0
    assert triaged.round.handed_over_at is not None


def test_a_cell_of_the_clue_list_that_would_be_a_formula_is_defused(triaged):
    triaged.clue.subject_name = '=HYPERLINK("http://example.org","点击")'
    db.session.commit()
    data, _manifest = handed_over(triaged.round)
    rows = list(load_workbook(io.BytesIO(opened(data).read("clues.xlsx"))).active.iter_rows(values_only=True))
    assert '\'=HYPERLINK("http://example.org","点击")' in {cell for row in rows for cell in row}
    assert not any(isinstance(cell, str) and cell.startswith("=") for row in rows for cell in row)
