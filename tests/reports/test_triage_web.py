"""Triage from the report page: each action's form, the member-proposes / leader-decides path, and what
the reporter then reads on /status."""
import re

import pytest
from sqlalchemy import select

from reporting.extensions import db
from reporting.models import Report
from tests.factories import csrf_token, log_in, tallied

ACTIONS = {
    "review": {"note": "先看看"},
    "clue": {"summary": "涉嫌违规发放津贴", "disposal": "初步核实"},
    "transfer": {"body": "纪检监察机关", "body_name": "县纪委监委", "reference": "县巡察〔2026〕3号",
                 "transferred_on": "2026-11-20", "due_on": "2026-12-20"},
    "file": {"reason": "查无实据，予以了结"},
    "out_of_scope": {"reason": "涉诉", "advice": "请向县人民法院反映。"},
}


def act(client, report, action, **fields):
    path = f"/staff/reports/{report.id}"
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(f"{path}/triage", data={"csrf_token": token, "action": action} | fields)


def public_status(client, receipt) -> str:
    reporter = client.application.test_client()  # the reporter's own browser, no staff session
    page = reporter.post("/status", data={"csrf_token": csrf_token(reporter.get("/status").get_data(as_text=True)),
                                          "receipt": receipt}).get_data(as_text=True)
    return page.split('id="public-status">')[1].split("<")[0]


@pytest.mark.parametrize(("action", "shown"), [("review", "正在办理"), ("clue", "正在办理"),
                                               ("transfer", "已转交有关部门办理"), ("file", "已办结"),
                                               ("out_of_scope", "不属于本次巡视巡察受理范围")])
def test_a_leader_decides_each_action_from_the_page(client, staff, reports, action, shown):
    report, receipt = reports["team1"]
    log_in(client, staff["leader1"])
    response = act(client, report, action, **ACTIONS[action])
    assert response.status_code == 302, response.get_data(as_text=True)
    assert public_status(client, receipt) == shown


def test_a_member_proposes_a_clue_and_the_reporter_sees_only_in_progress_until_approved(client, staff, reports):
    report, receipt = reports["team1"]
    log_in(client, staff["member1"])
    assert act(client, report, "clue", **ACTIONS["clue"]).status_code == 302
    db.session.expire_all()
    assert report.status == "proposed" and report.clue_number is None
    assert public_status(client, receipt) == "正在办理"
    log_in(client, staff["leader1"])
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    assert "同意建议" in page and "涉嫌违规发放津贴" in page
    assert act(client, report, "approve").status_code == 302
    db.session.expire_all()
    assert report.status == "clue" and report.clue_number


def test_a_leader_returns_a_proposed_transfer(client, staff, reports):
    report, receipt = reports["team1"]
    log_in(client, staff["member1"])
    act(client, report, "transfer", **ACTIONS["transfer"])
    log_in(client, staff["leader1"])
    assert act(client, report, "return", note="先核实再移交").status_code == 302
    db.session.expire_all()
    assert report.status == "received" and report.proposal is None and report.transfer_body == ""
    assert public_status(client, receipt) == "已受理"


def test_a_member_cannot_approve(client, staff, reports):
    report = reports["team1"][0]
    log_in(client, staff["member1"])
    act(client, report, "clue", **ACTIONS["clue"])
    assert act(client, report, "approve").status_code == 403


def test_missing_fields_come_back_with_their_reasons_and_the_text(client, staff, reports):
    report = reports["team1"][0]
    log_in(client, staff["leader1"])
    response = act(client, report, "transfer", body="", reference="县巡察〔2026〕9号", transferred_on="昨天")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "县巡察〔2026〕9号" in page and "此项必须填写" in page and "请按 年-月-日 格式填写日期" in page


def test_an_impossible_action_is_refused(client, staff, reports):
    report = reports["team1"][0]
    log_in(client, staff["leader1"])
    act(client, report, "file", **ACTIONS["file"])
    assert act(client, report, "review").status_code == 409


def test_a_duplicate_links_both_reports_and_shows_on_the_earlier_one(client, staff, two_teams, reports):
    from reporting.intake.services import submit_report
    from tests.factories import submission

    earlier = reports["team1"][0]
    later, receipt = submit_report(two_teams.round_code, submission(unit=two_teams.units[0]), [])
    log_in(client, staff["leader1"])
    page = client.get(f"/staff/reports/{later.id}").get_data(as_text=True)
    suggested = page.split('id="possible-duplicates"')[1].split("</div>")[0]  # at the top, not in a fold
    assert f'href="/staff/reports/{earlier.id}"' in suggested
    assert page.index("possible-duplicates") < page.index("<details")
    assert act(client, later, "duplicate", original_id=str(earlier.id)).status_code == 302
    assert f'/staff/reports/{later.id}"' in client.get(f"/staff/reports/{earlier.id}").get_data(as_text=True)
    assert public_status(client, receipt) == "已与此前的反映合并办理"


def test_an_admin_routes_an_unrouted_report_and_the_tally_follows(client, staff, two_teams):
    from reporting.intake.services import submit_report
    from tests.factories import submission

    report, _ = submit_report(two_teams.round_code, submission(), [])
    log_in(client, staff["admin"])
    assert act(client, report, "route", team_id=str(two_teams.teams[1].id)).status_code == 302
    db.session.expire_all()
    assert report.team_id == two_teams.teams[1].id
    assert tallied(two_teams.id, 0, "received") == 0
    assert tallied(two_teams.id, two_teams.teams[1].id, "received") == 1
    assert db.session.scalars(select(Report).where(Report.team_id.is_(None))).all() == []


def test_the_answer_to_a_transfer_is_recorded_and_the_public_status_stays(client, staff, reports):
    report, receipt = reports["team1"]
    log_in(client, staff["leader1"])
    act(client, report, "transfer", **ACTIONS["transfer"])
    log_in(client, staff["member1"])
    assert act(client, report, "answer", answer="经核实，已责令退还。", answered_on="2026-12-01").status_code == 302
    db.session.expire_all()
    assert report.transfer_answer == "经核实，已责令退还。" and report.status == "transferred"
    assert public_status(client, receipt) == "已转交有关部门办理"


def test_a_leader_assigns_a_member_of_the_team(client, staff, reports):
    report = reports["team1"][0]
    log_in(client, staff["leader1"])
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    assert f'<option value="{staff["member1"].id}">member1</option>' in page
    assert '>member2</option>' not in page
    assert act(client, report, "assign", assignee=str(staff["member1"].id)).status_code == 302
    db.session.expire_all()
    assert report.assignee_id == staff["member1"].id


def test_a_proposal_shows_who_proposed_what_with_the_fields_labels(client, staff, reports):
    report, _ = reports["team1"]
    log_in(client, staff["member1"])
    act(client, report, "transfer", **ACTIONS["transfer"])
    log_in(client, staff["leader1"])
    proposal = client.get(f"/staff/reports/{report.id}").get_data(as_text=True).split('id="proposal"')[1]
    proposal = proposal.split("</section>")[0]
    assert "member1 提议：移交有关部门" in proposal
    shown = (("接收单位名称", "县纪委监委"), ("移交日期", "2026年11月20日"), ("反馈期限", "2026年12月20日"))
    for label, value in shown:
        assert f"<dt>{label}</dt><dd class=\"typed\">{value}</dd>" in proposal


def test_the_history_names_the_act_proposed_or_decided_and_the_status_the_reporter_sees(client, staff, reports):
    report, _ = reports["team1"]
    log_in(client, staff["member1"])
    act(client, report, "transfer", **ACTIONS["transfer"])
    log_in(client, staff["leader1"])
    act(client, report, "approve")
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    history = page.split('id="history"')[1]
    assert "member1 · 建议移交" in history and "leader1 · 同意了建议" in history and "确定或建议" not in history
    status = page.split('id="status">')[1].split("</dd>")[0]
    assert re.fullmatch(r"已移交（反映人看到：[^ ）]+）", status), status


def test_returning_needs_a_reason_which_the_member_then_reads_in_the_report_and_the_queue(client, staff, reports):
    report, _ = reports["team1"]
    log_in(client, staff["member1"])
    act(client, report, "clue", **ACTIONS["clue"])
    log_in(client, staff["leader1"])
    refused = act(client, report, "return", note=" ")
    assert refused.status_code == 400 and "此项必须填写" in refused.get_data(as_text=True)
    assert act(client, report, "return", note="证据不足，请先补充材料。").status_code == 302
    log_in(client, staff["member1"])
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    returned = page.split('id="returned"')[1].split("</section>")[0]
    assert "leader1" in returned and "问题线索" in returned and "证据不足，请先补充材料。" in returned
    assert 'class="returned-mark"' in client.get("/staff/").get_data(as_text=True)
    assert act(client, report, "review", note="按组长意见补充").status_code == 302
    assert 'class="returned-mark"' not in client.get("/staff/").get_data(as_text=True)
    history = client.get(f"/staff/reports/{report.id}").get_data(as_text=True).split("<h2>办理记录</h2>")[1]
    assert "按组长意见补充" in history and "证据不足，请先补充材料。" in history


def test_the_audit_log_reads_as_text_not_json(client, staff, reports):
    report, _ = reports["team1"]
    log_in(client, staff["admin"])
    act(client, report, "transfer", **ACTIONS["transfer"])
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "<dt>接收单位名称</dt><dd class=\"typed\">县纪委监委</dd>" in page
    assert "\\u" not in page and "{&#34;" not in page
