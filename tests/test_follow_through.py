"""Issue 13's promise, on one set of triaged data: the ledger's three sheets, the figures (the command's JSON and
the page) and the handover zip count the same reports."""
import io
import json
import zipfile

import openpyxl

from tests.factories import csrf_token, log_in
from tests.followup.conftest import EXPECTED, triage_set

SHEETS = ("台账", "问题线索", "移交")


def sheet_rows(sheet, header_row: int = 2) -> list[dict]:
    """A sheet's rows by header (the ledger's sheets have a title row above it, the handover's list none)."""
    header, *rows = list(sheet.iter_rows(min_row=header_row, values_only=True))
    return [dict(zip(header, row)) for row in rows]


def handover_zip(client, round_id: int) -> zipfile.ZipFile:
    page = client.get(f"/admin/rounds/{round_id}/handover").get_data(as_text=True)
    response = client.post(f"/admin/rounds/{round_id}/handover", data={"csrf_token": csrf_token(page), "force": "y"})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_the_sheets_the_figures_and_the_handover_agree(client, runner, two_teams, staff):
    triage_set(two_teams, staff)
    figures = json.loads(runner.invoke(args=["rounds", "figures", str(two_teams.id), "--json"]).output)
    assert figures == EXPECTED
    log_in(client, staff["admin"])
    exported = client.get(f"/staff/export.xlsx?round={two_teams.id}", buffered=True)
    workbook = openpyxl.load_workbook(io.BytesIO(exported.data))
    ledger, clues, transfers = (sheet_rows(workbook[name]) for name in SHEETS)
    assert len(ledger) == figures["received"]["total"]
    assert len(clues) == figures["clues"] and len(transfers) == figures["transfers"]["total"]
    assert sum(row["是否逾期"] == "是" for row in transfers) == figures["transfers_overdue"]
    assert sum(bool(row["反馈日期"]) for row in transfers) == figures["transfers_answered"]
    page = client.get(f"/staff/stats?round={two_teams.id}").get_data(as_text=True)
    for key in ("received-total", "clues", "transfers-total", "transfers_overdue"):
        number = figures[key] if key in figures else figures[key.split("-")[0]][key.split("-")[1]]
        assert f'id="{key}">{number}</td>' in page, key
    package = handover_zip(client, two_teams.id)
    folders = {name.split("/")[1] for name in package.namelist() if name.startswith("clues/")}
    listed = sheet_rows(openpyxl.load_workbook(io.BytesIO(package.read("clues.xlsx"))).active, header_row=1)
    assert folders == {row["线索编号"] for row in clues} == {row["线索编号"] for row in listed}
