"""GET /staff/export.xlsx and /staff/export.csv: the ledger as offices keep it (台账, 问题线索, 移交), the right rows
in the right columns, Chinese headers whatever the language, no reporter identity, no formulas, audited."""
import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from reporting.extensions import db
from reporting.followup.outcomes import COUNTS
from reporting.followup.services import record_outcome, record_reminder
from reporting.models import AuditEvent, Report
from reporting.queue.ledger import ALL_ROUNDS, Ledger, batches, csv_chunks, sheet_query
from reporting.queue.services import QueueFilters
from reporting.queue.sheets import CLUES, LEDGER, TRANSFERS
from reporting.triage.services import apply_action
from tests.factories import log_in
from tests.queue.conftest import REPORTER_NAME, REPORTER_PHONE, file_report, set_status

FORMATS = ("csv", "xlsx")
SHEET_NAMES = ("台账", "问题线索", "移交")
TODAY = date.today()
LONG_AGO = TODAY - timedelta(days=60)
NO_COUNTS = {name: 0 for name in COUNTS}


@pytest.fixture
def client(client):
    """Responses read to the end inside the request, as a server streams them (the test client would not)."""
    original = client.open
    client.open = lambda *args, **kwargs: original(*args, **kwargs | {"buffered": True})
    return client


@dataclass
class Triaged:
    clue: Report  # a named report, a clue assigned to leader1, concluded (办结) by its outcome
    transfer: Report  # transferred to 其他 (县住建局), unanswered and overdue, with two reminders
    clue_transfer: Report  # a named report, a clue later transferred, answered in time, its transfer concluded
    filed: Report
    out_of_scope: Report
    duplicate: Report
    theirs: Report  # team 2's transfer, the only row of member2's sheets


def transfer(report: Report, actor, body: str = "纪检监察机关", body_name: str = "", due_on: date | None = LONG_AGO):
    apply_action(report, actor, "transfer", {
        "body": body, "body_name": body_name, "reference": f"巡转〔2026〕{report.id}号",
        "transferred_on": (LONG_AGO - timedelta(days=30)).isoformat(),
        "due_on": due_on.isoformat() if due_on else ""})


@pytest.fixture
def triaged(world) -> Triaged:
    """One of each decision in team 1 of the current round, taken by its leader, and one transfer of team 2."""
    leader, unit, other_unit = world.leader1, world.unit("甲单位"), world.unit("丙单位")
    clue = file_report(world.current, unit, named=True, content="+村支书挪用集体资金", category="廉洁纪律",
                       subject_name="张某", subject_position="村支书")
    apply_action(clue, leader, "clue", {"summary": "=1+1 涉嫌挪用", "disposal": "初步核实"})
    apply_action(clue, leader, "assign", {"assignee": str(leader.id)})
    record_outcome(leader, clue, "clue", date(2026, 3, 1), NO_COUNTS, 0)

    transferred = file_report(world.current, unit, content="工程违规发包")
    transfer(transferred, leader, body="其他", body_name="县住建局")
    for sent_on in (LONG_AGO, TODAY):
        record_reminder(leader, transferred, "supervision", sent_on, "督办〔2026〕1号")

    clue_transfer = file_report(world.current, world.unit("乙单位"), named=True, content="低保优亲厚友")
    apply_action(clue_transfer, leader, "clue", {"summary": "优亲厚友", "disposal": "谈话函询"})
    transfer(clue_transfer, leader, due_on=TODAY + timedelta(days=30))
    apply_action(clue_transfer, leader, "answer", {"answer": "@已立案审查", "answered_on": TODAY.isoformat()})
    record_outcome(leader, clue_transfer, "transfer", date(2026, 4, 2), NO_COUNTS, 0)

    filed = file_report(world.current, unit, content="反映情况已核实不实")
    apply_action(filed, leader, "file", {"reason": "查无实据"})
    out_of_scope = file_report(world.current, unit, content="邻里纠纷")
    apply_action(out_of_scope, leader, "out_of_scope", {"reason": "不属于巡察范围", "advice": "请向人民调解委员会反映"})
    duplicate = file_report(world.current, unit, content="+村支书挪用集体资金（再次反映）")
    apply_action(duplicate, leader, "duplicate", {"original_id": str(clue.id)})

    theirs = file_report(world.current, other_unit, content="第二组的问题")
    transfer(theirs, world.admin)
    return Triaged(clue, transferred, clue_transfer, filed, out_of_scope, duplicate, theirs)


def workbook_of(response):
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.data))


def table(worksheet) -> tuple[list, list[dict]]:
    """(title row, rows as dicts by header) of a workbook's sheet."""
    title, header, *rows = ([cell.value for cell in row] for row in worksheet.iter_rows())
    return title, [dict(zip(header, row)) for row in rows]


def csv_table(response) -> list[dict]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def every_byte_of(response) -> bytes:
    """The file's bytes; for a workbook, the unpacked bytes of every part of it."""
    if response.mimetype == "text/csv":
        return response.data
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())


def test_the_workbook_has_the_three_sheets_with_the_specs_columns_in_chinese_under_english(client, world, triaged):
    log_in(client, world.leader1)
    workbook = workbook_of(client.get("/staff/export.xlsx?lang=en"))
    assert workbook.sheetnames == list(SHEET_NAMES)
    headers = {name: [cell.value for cell in workbook[name][2]] for name in SHEET_NAMES}
    assert headers["台账"][:13] == ["编号", "受理日期", "渠道", "被反映单位", "问题类别", "被反映人", "职务",
                                   "反映内容摘要", "状态", "处理方式", "线索编号", "接收单位", "承办人"]
    assert headers["问题线索"][:11] == ["线索编号", "编号", "受理日期", "被反映人", "职务", "被反映单位", "问题类别",
                                     "线索摘要", "拟处置方式", "状态", "办结日期"]
    assert headers["移交"][:11] == ["编号", "受理日期", "接收单位", "文号", "移交日期", "要求反馈日期", "反馈日期",
                                   "反馈情况", "是否逾期", "督办次数", "办结日期"]
    assert "轮次" in headers["台账"] and "巡察组" in headers["移交"]


def test_each_sheet_has_a_title_row_a_frozen_header_and_a_filter_over_its_rows(client, world, triaged):
    log_in(client, world.leader1)
    workbook = workbook_of(client.get(f"/staff/export.xlsx?round={world.current.id}"))
    for name, rows in (("台账", 6), ("问题线索", 2), ("移交", 2)):
        worksheet = workbook[name]
        title = worksheet["A1"].value
        assert world.current.name in title and name in title and "内部资料" in title
        assert f"导出时间：{TODAY:%Y-%m-%d}" in title or f"导出时间：{TODAY + timedelta(days=1):%Y-%m-%d}" in title
        assert worksheet.freeze_panes == "A3"
        last_column = worksheet.cell(2, worksheet.max_column).column_letter
        assert worksheet.auto_filter.ref == f"A2:{last_column}{2 + rows}"
        assert worksheet.column_dimensions["A"].width > 0
    everything = workbook_of(client.get("/staff/export.xlsx"))
    assert everything["台账"]["A1"].value.startswith(ALL_ROUNDS)


def test_the_ledger_sheet_has_every_report_with_labels_not_keys(client, world, triaged):
    log_in(client, world.leader1)
    _title, rows = table(workbook_of(client.get("/staff/export.xlsx?lang=en"))["台账"])
    by_id = {row["编号"]: row for row in rows}
    assert list(by_id) == [report.id for report in (triaged.clue, triaged.transfer, triaged.clue_transfer,
                                                    triaged.filed, triaged.out_of_scope, triaged.duplicate)]
    clue = by_id[triaged.clue.id]
    assert clue["受理日期"].date() == triaged.clue.received_on  # a real date, not text
    assert (clue["渠道"], clue["被反映单位"], clue["问题类别"], clue["被反映人"], clue["职务"]) == (
        "网络（扫码）", "甲单位", "廉洁纪律", "张某", "村支书")  # labels in Chinese, under English too
    assert (clue["状态"], by_id[triaged.transfer.id]["状态"]) == ("已办结（已记录处理结果）", "已移交")
    assert clue["反映内容摘要"] == "'+村支书挪用集体资金"
    assert (clue["处理方式"], clue["线索编号"], clue["承办人"]) == ("问题线索", triaged.clue.clue_number,
                                                            world.leader1.username)
    assert (by_id[triaged.transfer.id]["处理方式"], by_id[triaged.transfer.id]["接收单位"]) == ("移交", "县住建局")
    both = by_id[triaged.clue_transfer.id]
    assert (both["处理方式"], both["接收单位"]) == ("问题线索，后移交", "纪检监察机关")
    assert [by_id[report.id]["处理方式"] for report in (triaged.filed, triaged.out_of_scope, triaged.duplicate)] == [
        "已了结存查", "不属于受理范围", "重复反映"]
    assert by_id[triaged.filed.id]["线索编号"] is None and by_id[triaged.filed.id]["接收单位"] is None
    assert (clue["轮次"], clue["巡察组"]) == (world.current.name, "第一组")


def test_the_clue_sheet_has_one_row_per_clue_with_its_outcome(client, world, triaged):
    log_in(client, world.leader1)
    _title, rows = table(workbook_of(client.get("/staff/export.xlsx"))["问题线索"])
    assert [row["编号"] for row in rows] == [triaged.clue.id, triaged.clue_transfer.id]
    first, second = rows
    assert first["线索编号"] == triaged.clue.clue_number
    assert (first["线索摘要"], first["拟处置方式"], first["办结日期"].date()) == ("'=1+1 涉嫌挪用", "初步核实",
                                                                       date(2026, 3, 1))
    assert (first["被反映人"], first["职务"], first["被反映单位"], first["问题类别"]) == (
        "张某", "村支书", "甲单位", "廉洁纪律")
    assert (second["拟处置方式"], second["办结日期"]) == ("谈话函询", None)  # the transfer's outcome is not the clue's
    assert first["状态"] == second["状态"] == "已办结（已记录处理结果）"


def test_the_transfer_sheet_has_one_row_per_transfer_with_reminders_answer_and_overdue(client, world, triaged):
    log_in(client, world.leader1)
    _title, rows = table(workbook_of(client.get("/staff/export.xlsx"))["移交"])
    assert [row["编号"] for row in rows] == [triaged.transfer.id, triaged.clue_transfer.id]
    late, answered = rows
    assert (late["接收单位"], late["文号"], late["是否逾期"], late["督办次数"], late["办结日期"]) == (
        "县住建局", f"巡转〔2026〕{triaged.transfer.id}号", "是", 2, None)
    assert late["移交日期"].date() == LONG_AGO - timedelta(days=30) and late["要求反馈日期"].date() == LONG_AGO
    assert (late["反馈日期"], late["反馈情况"]) == (None, None)
    assert (answered["是否逾期"], answered["督办次数"], answered["反馈情况"]) == ("否", 0, "'@已立案审查")
    assert (answered["反馈日期"].date(), answered["办结日期"].date()) == (TODAY, date(2026, 4, 2))
    assert answered["线索编号"] == triaged.clue_transfer.clue_number


def test_the_overdue_flag_follows_the_overdue_list(client, world, triaged):
    log_in(client, world.leader1)
    overdue_page = client.get("/staff/transfers/overdue").get_data(as_text=True)
    _title, rows = table(workbook_of(client.get("/staff/export.xlsx"))["移交"])
    for row in rows:
        assert (row["是否逾期"] == "是") == (f"/staff/transfers/{row['编号']}/reminders" in overdue_page)


@pytest.mark.parametrize(("sheet", "ids"), [
    ("台账", ("clue", "transfer", "clue_transfer", "filed", "out_of_scope", "duplicate")),
    ("问题线索", ("clue", "clue_transfer")),
    ("移交", ("transfer", "clue_transfer")),
])
def test_each_sheet_comes_as_csv_with_the_same_header_and_no_title(client, world, triaged, sheet, ids):
    log_in(client, world.leader1)
    workbook = workbook_of(client.get("/staff/export.xlsx"))
    rows = csv_table(client.get("/staff/export.csv", query_string={"sheet": sheet, "lang": "en"}))
    assert list(rows[0]) == [cell.value for cell in workbook[sheet][2]]
    assert [int(row["编号"]) for row in rows] == [getattr(triaged, name).id for name in ids]
    if sheet == "移交":
        assert (rows[0]["要求反馈日期"], rows[0]["是否逾期"], rows[1]["反馈情况"]) == (
            LONG_AGO.isoformat(), "是", "'@已立案审查")


def test_the_csv_is_the_ledger_sheet_unless_another_is_named(client, world, triaged):
    log_in(client, world.leader1)
    assert list(csv_table(client.get("/staff/export.csv"))[0])[:2] == ["编号", "受理日期"]


def test_an_unknown_sheet_is_a_clear_400(client, world, triaged):
    log_in(client, world.leader1)
    response = client.get("/staff/export.csv?sheet=Sheet1&lang=en")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "no sheet of that name" in page and "台账、问题线索、移交" in page
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all() == []


def test_another_teams_member_sees_none_of_our_rows_in_any_sheet(client, world, triaged):
    log_in(client, world.member2)
    workbook = workbook_of(client.get("/staff/export.xlsx"))
    for name in SHEET_NAMES:
        ids = [row["编号"] for row in table(workbook[name])[1]]
        assert ids == ([] if name == "问题线索" else [triaged.theirs.id])
        csv_ids = [int(row["编号"]) for row in csv_table(client.get("/staff/export.csv", query_string={"sheet": name}))]
        assert csv_ids == ids


def test_the_queues_filters_apply_to_every_sheet(client, world, triaged):
    log_in(client, world.admin)
    workbook = workbook_of(client.get(f"/staff/export.xlsx?unit={world.unit('丙单位').id}"))
    assert [[row["编号"] for row in table(workbook[name])[1]] for name in SHEET_NAMES] == [
        [triaged.theirs.id], [], [triaged.theirs.id]]
    filtered = csv_table(client.get("/staff/export.csv", query_string={"sheet": "移交", "q": "工程"}))
    assert [int(row["编号"]) for row in filtered] == [triaged.transfer.id]


@pytest.mark.parametrize("path", ["/staff/export.xlsx", *(f"/staff/export.csv?sheet={name}" for name in SHEET_NAMES)])
def test_no_sheet_contains_a_reporters_identity(client, world, triaged, path):
    named = triaged.clue_transfer  # a row of every sheet
    assert named.identity_ciphertext is not None
    log_in(client, world.admin)
    content = every_byte_of(client.get(path))
    assert named.clue_number.encode() in content
    for secret in (REPORTER_NAME.encode(), REPORTER_PHONE.encode(), named.identity_ciphertext):
        assert secret not in content


def test_no_cell_of_any_sheet_is_a_formula(client, world, triaged):
    log_in(client, world.admin)
    workbook = workbook_of(client.get("/staff/export.xlsx"))
    cells = [cell for name in SHEET_NAMES for row in workbook[name].iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert not [text for text in texts if text.startswith(("=", "+", "-", "@"))]
    assert {"'+村支书挪用集体资金", "'=1+1 涉嫌挪用", "'@已立案审查"} <= set(texts)


@pytest.mark.parametrize("file_format", FORMATS)
def test_cells_that_would_be_formulas_are_defused(client, world, file_format):
    file_report(world.current, world.unit("甲单位"), content='=HYPERLINK("http://evil.example","点我")',
                subject_name="+1+1", subject_unit="-2", subject_position="@SUM(A1)")
    file_report(world.current, world.unit("乙单位"), content="\t=1+1", subject_name="\r=2")
    log_in(client, world.admin)
    response = client.get(f"/staff/export.{file_format}")
    first, second = csv_table(response) if file_format == "csv" else table(workbook_of(response)["台账"])[1]
    assert first["反映内容摘要"] == '\'=HYPERLINK("http://evil.example","点我")'
    assert (first["被反映人"], first["被反映人单位"], first["职务"]) == ("'+1+1", "'-2", "'@SUM(A1)")
    assert second["反映内容摘要"] == "'\t=1+1"
    assert second["被反映人"].startswith("'")


@pytest.mark.parametrize("file_format", FORMATS)
def test_control_characters_that_xml_refuses_are_dropped(client, world, file_format):
    file_report(world.current, world.unit("甲单位"), content="\x01=1+1 前面有控制字符\x0b")
    log_in(client, world.admin)
    response = client.get(f"/staff/export.{file_format}")
    (row,) = csv_table(response) if file_format == "csv" else table(workbook_of(response)["台账"])[1]
    assert row["反映内容摘要"] == "'=1+1 前面有控制字符"


def test_a_long_content_is_summarised(client, world):
    file_report(world.current, world.unit("甲单位"), content="很长的反映" * 100)
    log_in(client, world.admin)
    (row,) = csv_table(client.get("/staff/export.csv"))
    assert row["反映内容摘要"] == ("很长的反映" * 60) + "…"


@pytest.mark.parametrize(("query", "detail"), [
    ("export.xlsx", {"format": "xlsx"}),
    ("export.csv", {"format": "csv", "sheet": "台账"}),
    ("export.csv?sheet=移交", {"format": "csv", "sheet": "移交"}),
])
def test_each_export_writes_one_audit_event(client, world, query, detail):
    file_report(world.current, world.unit("甲单位"))
    log_in(client, world.leader1)
    separator = "&" if "?" in query else "?"
    response = client.get(f"/staff/{query}{separator}round={world.current.id}&status=received&channel=fax")
    assert response.status_code == 200
    response.close()
    (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert event.actor_id == world.leader1.id
    assert event.round_id == world.current.id
    assert event.detail == detail | {"filters": {"round": str(world.current.id), "status": "received"}}


def test_the_ledger_is_read_and_written_in_batches(app, world, monkeypatch):
    monkeypatch.setattr("reporting.queue.ledger.BATCH", 3)
    reports = [file_report(world.current, world.unit("甲单位")) for _ in range(7)]
    with app.test_request_context():
        ledger = Ledger(world.admin, QueueFilters())
        query = sheet_query(world.admin, QueueFilters(), LEDGER, TODAY)
        assert [[row[0] for row in batch] for batch in batches(query)] == [
            [report.id for report in reports[i:i + 3]] for i in (0, 3, 6)]
        chunks = list(csv_chunks(ledger, LEDGER))
    assert len(chunks) == 3  # one per batch, the header with the first: never the whole file in one piece
    assert len(b"".join(chunks).decode("utf-8-sig").splitlines()) == 8


def test_an_empty_ledger_still_has_its_headers(client, world):
    log_in(client, world.member2)
    workbook = workbook_of(client.get("/staff/export.xlsx"))
    assert [workbook[name]["A2"].value for name in SHEET_NAMES] == ["编号", "线索编号", "编号"]
    ledger = workbook["台账"]
    assert ledger.auto_filter.ref == f"A2:{ledger.cell(2, ledger.max_column).column_letter}2"
    for sheet in (LEDGER, CLUES, TRANSFERS):
        response = client.get("/staff/export.csv", query_string={"sheet": sheet.name})
        assert response.data.decode("utf-8-sig").splitlines() == [",".join(sheet.headers())]


def test_the_queue_page_links_the_workbook_and_each_sheet(client, world):
    log_in(client, world.admin)
    page = client.get(f"/staff/?round={world.current.id}").get_data(as_text=True)
    assert f"/staff/export.xlsx?round={world.current.id}" in page
    assert page.count("/staff/export.csv?sheet=") == 3


def test_an_undecided_report_has_no_way_of_handling_yet(client, world):
    report = file_report(world.current, world.unit("甲单位"))
    set_status(report, "in_review")
    log_in(client, world.admin)
    (row,) = csv_table(client.get("/staff/export.csv"))
    assert row["处理方式"] == "" and row["状态"] not in ("", "in_review")


def test_clues_come_round_by_round_in_the_order_they_were_numbered(client, world):
    higher, lower = (file_report(world.current, world.unit("甲单位")) for _ in range(2))
    higher.clue_number, lower.clue_number = "2026-10000", "2026-9999"
    db.session.commit()
    log_in(client, world.admin)
    rows = csv_table(client.get("/staff/export.csv", query_string={"sheet": "问题线索"}))
    assert [row["线索编号"] for row in rows] == ["2026-9999", "2026-10000"]
