"""A round closed and handed over refuses every change, through every page that makes one (409, nothing saved),
while its reports stay readable, to staff and on the resident's /status; handing it over again is allowed."""
import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from reporting.access import RoundReadOnly, read_only
from reporting.extensions import db
from reporting.handover.services import write_handover
from reporting.intake.services import submit_report
from reporting.models import AuditEvent, Message, QrCode, Report, Round, Team, Unit
from reporting.rounds.services import add_location, set_status
from reporting.triage.services import apply_action
from tests.factories import csrf_from, csrf_token, log_in, make_round, submission
from tests.handover.conftest import TRANSFER

OUTCOME = {"concluded_on": "2026-02-01", "cases": "1", "persons": "1", "detained": "0", "disciplined": "0",
           "organisational": "0", "admonished": "0", "money_wan": "0"}


def test_only_a_round_closed_and_handed_over_is_read_only(app):
    round_ = make_round()
    assert not read_only(round_)
    round_.handed_over_at = round_.created_at
    assert not read_only(round_)  # open: still taking reports
    round_.status = "closed"
    assert read_only(round_)
    round_.handed_over_at = None
    assert not read_only(round_)  # closed, not yet handed over: the work goes on


@pytest.fixture
def handed_over(app, triaged, staff):
    """The triaged round with a posting location and a resident's receipt, closed, then handed over."""
    round_ = triaged.round
    code = add_location(round_, None, "村口", staff["admin"])
    report, receipt = submit_report(round_.round_code, submission(unit=round_.units[0], content="村里的反映。"), [])
    apply_action(report, staff["leader1"], "transfer", TRANSFER)
    set_status(round_, "closed", staff["admin"])
    write_handover(round_, io.BytesIO(), user=staff["admin"])
    return {"round": round_, "code": code, "report": report, "receipt": receipt}


def post(client, path: str, data: dict, page: str):
    return client.post(path, data={"csrf_token": csrf_from(client, page)} | data)


def refused(response) -> bool:
    return response.status_code == 409 and 'id="read-only"' in response.get_data(as_text=True)


def changes(round_: Round) -> tuple:
    """What any refused change would have moved: counts of rows and the round's own fields."""
    counted = [db.session.scalar(select(func.count()).select_from(model)) for model in (Report, Message, Team, Unit,
                                                                                         QrCode)]
    events = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action.not_in(("report.viewed", "login"))))
    statuses = db.session.scalars(select(Report.status).order_by(Report.id)).all()
    db.session.refresh(round_)
    return counted, events, statuses, round_.status, round_.name


def test_staff_changes_to_reports_are_refused(client, handed_over, staff, triaged):
    report = handed_over["report"]
    page = f"/staff/reports/{report.id}"
    log_in(client, staff["leader1"])
    before = changes(handed_over["round"])
    shown = client.get(page).get_data(as_text=True)
    assert 'id="read-only"' in shown and 'name="action"' not in shown and 'name="body"' not in shown
    assert refused(post(client, f"{page}/triage", {"action": "file", "reason": "已处理"}, page))
    assert refused(post(client, f"{page}/messages", {"kind": "note", "body": "再备注"}, page))
    assert refused(post(client, f"{page}/rank", {"rank": "县处级"}, page))
    assert refused(post(client, f"{page}/outcomes/transfer", OUTCOME, page))
    assert refused(post(client, f"/staff/transfers/{report.id}/reminders",
                        {"kind": "supervision", "sent_on": "2026-04-01", "reference": "督〔2026〕2号"}, page))
    new = f"/staff/reports/new?round={handed_over['round'].id}"
    assert refused(post(client, new, {"channel": "letter", "received_on": "2026-11-20", "anonymous": "1",
                                      "unit_id": str(triaged.round.units[0].id), "team_id": "", "category": "",
                                      "content": "来信反映。"}, new))
    assert changes(handed_over["round"]) == before


def test_admin_changes_to_the_round_are_refused(client, handed_over, staff):
    round_ = handed_over["round"]
    page = f"/admin/rounds/{round_.id}"
    log_in(client, staff["admin"])
    before = changes(round_)
    assert 'id="read-only"' in client.get(page).get_data(as_text=True)
    today = date.today()
    edit = {"name": "改名", "level": "county", "starts_on": str(today), "ends_on": str(today + timedelta(30)),
            "timezone": "Asia/Shanghai", "categories": "其他", "receiving_bodies": "纪检监察机关", "rank_bodies": "",
            "default_team_id": ""}
    response = post(client, page, edit, page)
    assert refused(response), re.findall(r"class=\"error\"[^<]*>([^<]*)<", response.get_data(as_text=True))
    assert refused(post(client, f"{page}/status", {"status": "open"}, page))
    assert refused(post(client, f"{page}/teams", {"name": "第三组"}, page))
    assert refused(post(client, f"{page}/units", {"team_id": str(round_.teams[0].id), "name": "新单位"}, page))
    assert refused(post(client, f"{page}/codes", {"pinned": "", "label": "车站"}, page))
    assert refused(post(client, f"/admin/codes/{handed_over['code'].id}/revoke", {"reason": "海报被撕"}, page))
    assert changes(round_) == before and handed_over["code"].revoked_at is None


def test_the_resident_still_reads_the_status_but_adds_nothing(app, handed_over):
    resident = app.test_client()
    token = csrf_token(resident.get("/status").get_data(as_text=True))
    looked_up = resident.post("/status", data={"receipt": handed_over["receipt"], "csrf_token": token})
    page = looked_up.get_data(as_text=True)
    assert looked_up.status_code == 200 and "村里的反映。" in page and 'id="public-status">已转交有关部门办理' in page
    assert 'id="read-only"' in page and 'name="message"' not in page
    added = resident.post("/status", data={"receipt": handed_over["receipt"], "csrf_token": token,
                                           "message": "再补充一点情况。"})
    text = added.get_data(as_text=True)
    assert added.status_code == 409 and 'id="read-only"' in text and "再补充一点情况。" in text  # kept to copy
    assert db.session.scalar(select(func.count()).select_from(Message).where(
        Message.report_id == handed_over["report"].id)) == 0


def test_the_commands_that_add_codes_are_refused(runner, handed_over, tmp_path):
    round_id = handed_over["round"].id
    csv = tmp_path / "locations.csv"
    csv.write_text("team,unit,label\n第一组,甲单位,车站\n", encoding="utf-8")
    imported = runner.invoke(args=["rounds", "import", str(csv), "--round", str(round_id)])
    labels = tmp_path / "labels.csv"
    labels.write_text("label\n车站\n", encoding="utf-8")
    posters = runner.invoke(args=["qr", "posters", str(round_id), "--out", str(tmp_path / "p.pdf"),
                                  "--locations", str(labels)])
    assert imported.exit_code == 1 and posters.exit_code == 1
    assert "已结束并已移交" in imported.output and "已结束并已移交" in posters.output


def test_a_services_refusal_changes_nothing(handed_over, staff):
    with pytest.raises(RoundReadOnly):
        apply_action(handed_over["report"], staff["leader1"], "file", {"reason": "已处理"})
    assert handed_over["report"].status == "transferred"


def test_a_round_closed_but_not_handed_over_still_changes(client, triaged, staff):
    set_status(triaged.round, "closed", staff["admin"])
    apply_action(triaged.transfer, staff["leader1"], "file", {"reason": "已处理"})
    assert triaged.transfer.status == "filed"


def test_a_handed_over_round_is_handed_over_again(client, handed_over, staff):
    log_in(client, staff["admin"])
    path = f"/admin/rounds/{handed_over['round'].id}/handover"
    response = client.post(path, data={"csrf_token": csrf_token(client.get(path).get_data(as_text=True))})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "round.handed_over")) == 2
