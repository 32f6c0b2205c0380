"""The follow-through from the staff's side, through the Flask test client: the transfer form's bodies and
suggestion, the rank, the outcome page, 督办 (the overdue list and its reminders), and who may do what."""
import json
from datetime import date, timedelta

import pytest

from reporting.extensions import db
from reporting.followup import services
from reporting.intake.services import submit_report
from reporting.models import DEFAULT_TIMEZONE, today_in
from reporting.triage.services import apply_action
from tests.factories import csrf_token, log_in, make_round, make_staff, submission
from tests.followup.conftest import LONG_AGO, clue, received, transferred

OUTCOME = {"concluded_on": "2026-02-01", "cases": "1", "persons": "2", "detained": "0", "disciplined": "2",
           "organisational": "1", "admonished": "3", "money_wan": "12.5"}


def post(client, path: str, data: dict, page: str | None = None):
    """POST as the browser would from `page` (default: the same path)."""
    token = csrf_token(client.get(page or path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token} | data)


def logged_in(client, user):
    log_in(client, user)
    return client


def test_the_transfer_form_offers_the_rounds_bodies_and_preselects_the_one_for_the_rank(client, two_teams, staff):
    report = received(two_teams)
    logged_in(client, staff["leader1"])
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    assert '<option value="纪检监察机关">纪检监察机关</option>' in page and '<option value="其他">其他</option>' in page
    assert 'id="suggested-body"' not in page
    saved = post(client, f"/staff/reports/{report.id}/rank", {"rank": "县处级"}, f"/staff/reports/{report.id}")
    assert saved.status_code == 302
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    assert '<option value="组织部门" selected>组织部门</option>' in page and 'id="suggested-body"' in page
    assert '<dd id="rank">县处级</dd>' in page and "设置了被反映人的职级" in page


def test_a_rank_not_in_the_list_is_a_bad_request(client, two_teams, staff):
    report = received(two_teams)
    logged_in(client, staff["member1"])
    response = post(client, f"/staff/reports/{report.id}/rank", {"rank": "部级"}, f"/staff/reports/{report.id}")
    assert response.status_code == 400 and report.subject_rank == ""


def test_other_without_a_name_comes_back_with_the_reason_and_the_choice_kept(client, two_teams, staff):
    report = received(two_teams)
    logged_in(client, staff["leader1"])
    response = post(client, f"/staff/reports/{report.id}/triage",
                    {"action": "transfer", "body": "其他", "transferred_on": "2026-03-02"},
                    f"/staff/reports/{report.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "选择“其他”时，请填写接收单位名称。" in page
    assert '<option value="其他" selected>其他</option>' in page
    response = post(client, f"/staff/reports/{report.id}/triage",
                    {"action": "transfer", "body": "其他", "body_name": "县自然资源局", "transferred_on": "2026-03-02"},
                    f"/staff/reports/{report.id}")
    assert response.status_code == 302
    assert "县自然资源局" in client.get(f"/staff/reports/{report.id}").get_data(as_text=True)


def test_a_leader_records_a_concluded_outcome_and_the_reporter_reads_concluded(client, app, two_teams, staff):
    report, receipt = submit_report(two_teams.round_code, submission(unit=two_teams.units[0]), [])
    apply_action(report, staff["leader1"], "transfer", {"body": "纪检监察机关", "transferred_on": "2026-01-02"})
    logged_in(client, staff["leader1"])
    path = f"/staff/reports/{report.id}/outcomes/transfer"
    assert client.get(path).status_code == 200
    assert post(client, path, OUTCOME).status_code == 302
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    assert "已办结（已记录处理结果）" in page and "12.5 万元" in page
    assert "记录了接收单位反馈的处理结果" in page and "追回资金</dt><dd class=\"typed\">12.5 万元" in page
    resident = app.test_client()
    status = resident.post("/status", data={"receipt": receipt,
                                             "csrf_token": csrf_token(resident.get("/status").get_data(as_text=True))})
    assert 'id="public-status">已办结<' in status.get_data(as_text=True)
    form = client.get(path).get_data(as_text=True)  # the form shows what was recorded, in 万元
    assert 'value="12.5"' in form and 'value="2026-02-01"' in form


@pytest.mark.parametrize(("field", "value"), [("cases", "-1"), ("persons", "many"), ("money_wan", "0.00001"),
                                              ("concluded_on", "2026/02/01"), ("admonished", "")])
def test_a_wrong_figure_comes_back_with_a_message_and_nothing_recorded(client, two_teams, staff, field, value):
    report = transferred(two_teams, staff["leader1"])
    logged_in(client, staff["leader1"])
    response = post(client, f"/staff/reports/{report.id}/outcomes/transfer", OUTCOME | {field: value})
    assert response.status_code == 400 and 'class="error"' in response.get_data(as_text=True)
    assert report.outcomes == [] and report.status == "transferred"


def test_outcome_pages_refuse_members_other_teams_and_decisions_the_report_lacks(client, two_teams, staff):
    report = clue(two_teams, staff["leader1"])
    path = f"/staff/reports/{report.id}/outcomes/clue"
    logged_in(client, staff["member1"])
    assert client.get(path).status_code == 403
    assert client.post(path, data=OUTCOME).status_code in (400, 403)  # no token: refused either way
    assert "记录处理结果" not in client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    logged_in(client, make_staff("leader", [two_teams.teams[1]]))
    assert client.get(path).status_code == 404
    logged_in(client, staff["leader1"])
    assert client.get(f"/staff/reports/{report.id}/outcomes/transfer").status_code == 404
    assert client.get(f"/staff/reports/{report.id}/outcomes/other").status_code == 404


def test_the_overdue_page_lists_a_leaders_own_late_transfers_oldest_first(client, two_teams, staff):
    later = transferred(two_teams, staff["admin"], due_on=LONG_AGO + timedelta(days=3))
    older = transferred(two_teams, staff["admin"], due_on=LONG_AGO, body="其他", body_name="县自然资源局")
    theirs = transferred(two_teams, staff["admin"], unit_index=2)
    logged_in(client, staff["leader1"])
    page = client.get("/staff/transfers/overdue").get_data(as_text=True)
    assert page.index(f'data-id="{older.id}"') < page.index(f'data-id="{later.id}"')
    assert f'data-id="{theirs.id}"' not in page and "县自然资源局" in page
    assert f'<td class="days-overdue">{(today_in(DEFAULT_TIMEZONE) - LONG_AGO).days}</td>' in page
    logged_in(client, make_staff("leader", [two_teams.teams[1]]))
    other = client.get("/staff/transfers/overdue").get_data(as_text=True)
    assert f'data-id="{theirs.id}"' in other and f'data-id="{older.id}"' not in other


def test_the_overdue_page_pages_and_says_when_there_are_none(client, two_teams, staff, monkeypatch):
    monkeypatch.setattr(services, "OVERDUE_PAGE", 1)
    first, second = (transferred(two_teams, staff["admin"], due_on=LONG_AGO + timedelta(days=n)) for n in (0, 1))
    logged_in(client, staff["admin"])
    page = client.get("/staff/transfers/overdue").get_data(as_text=True)
    assert f'data-id="{first.id}"' in page and f'data-id="{second.id}"' not in page and 'rel="next"' in page
    after = f"{first.transfer_due_on}/{first.id}"
    rest = client.get("/staff/transfers/overdue", query_string={"after": after}).get_data(as_text=True)
    assert f'data-id="{second.id}"' in rest and f'data-id="{first.id}"' not in rest and 'rel="next"' not in rest
    logged_in(client, make_staff("leader", [two_teams.teams[1]]))
    assert 'id="none-overdue"' in client.get("/staff/transfers/overdue").get_data(as_text=True)


def test_members_may_not_open_the_overdue_page_or_record_reminders(client, two_teams, staff):
    report = transferred(two_teams, staff["leader1"])
    logged_in(client, staff["member1"])
    assert client.get("/staff/transfers/overdue").status_code == 403
    assert client.get(f"/staff/transfers/{report.id}/reminders").status_code == 403
    assert "督办" not in client.get("/staff/").get_data(as_text=True)


def test_a_reminder_is_recorded_counted_and_shown_in_the_history(client, two_teams, staff):
    report = transferred(two_teams, staff["leader1"])
    logged_in(client, staff["leader1"])
    path = f"/staff/transfers/{report.id}/reminders"
    saved = post(client, path, {"kind": "supervision", "sent_on": "2026-12-01", "reference": "督〔2026〕7号"})
    assert saved.status_code == 302 and saved.location.endswith("/staff/transfers/overdue")
    page = client.get("/staff/transfers/overdue").get_data(as_text=True)
    assert '<td class="reminders">1</td>' in page
    report_page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    assert "督办次数）：1" in report_page and "督〔2026〕7号" in report_page and "记录了督办函或提示函" in report_page


def test_a_reminder_without_a_date_comes_back_and_one_for_an_answered_transfer_is_not_found(client, two_teams, staff):
    report = transferred(two_teams, staff["leader1"])
    logged_in(client, staff["leader1"])
    path = f"/staff/transfers/{report.id}/reminders"
    response = post(client, path, {"kind": "prompt", "sent_on": "", "reference": ""})
    assert response.status_code == 400 and "请填写发函日期" in response.get_data(as_text=True)
    assert post(client, path, {"kind": "letter", "sent_on": "2026-12-01"}).status_code == 400
    assert services.reminder_counts([report.id]) == {}
    assert client.get(f"/staff/transfers/{clue(two_teams, staff['leader1']).id}/reminders").status_code == 404
    logged_in(client, make_staff("leader", [two_teams.teams[1]]))
    assert client.get(path).status_code == 404


def test_an_admin_edits_the_bodies_and_the_rank_table_of_a_round(client, two_teams, staff):
    logged_in(client, staff["admin"])
    path = f"/admin/rounds/{two_teams.id}"
    form = client.get(path).get_data(as_text=True)
    assert "纪检监察机关\n组织部门" in form and "县处级=组织部门" in form
    fields = {"name": two_teams.name, "level": "county", "starts_on": two_teams.starts_on.isoformat(),
              "ends_on": two_teams.ends_on.isoformat(), "timezone": two_teams.timezone, "categories": "其他",
              "default_team_id": ""}
    wrong = post(client, path, fields | {"receiving_bodies": "纪检监察机关\n县自然资源局",
                                         "rank_bodies": "县处级=组织部门"})
    assert wrong.status_code == 400 and "县处级=组织部门" in wrong.get_data(as_text=True)
    assert post(client, path, fields | {"receiving_bodies": "纪检监察机关\n其他", "rank_bodies": ""}).status_code == 400
    saved = post(client, path, fields | {"receiving_bodies": "纪检监察机关\n县自然资源局\n纪检监察机关",
                                         "rank_bodies": "县处级=县自然资源局"})
    assert saved.status_code == 302
    db.session.refresh(two_teams)
    assert two_teams.receiving_bodies == ["纪检监察机关", "县自然资源局"]
    assert two_teams.rank_bodies == {"县处级": "县自然资源局"}


def test_the_command_lists_overdue_transfers_as_json_without_identities(runner, two_teams, staff):
    older = transferred(two_teams, staff["admin"], due_on=LONG_AGO, body="其他", body_name="县自然资源局")
    later = transferred(two_teams, staff["admin"], due_on=LONG_AGO + timedelta(days=1), unit_index=2)
    services.record_reminder(staff["admin"], older, "prompt", date.today(), "")
    transferred(two_teams, staff["admin"], due_on=today_in(DEFAULT_TIMEZONE) + timedelta(days=1))
    result = runner.invoke(args=["transfers", "overdue", "--json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    assert [item["id"] for item in items] == [older.id, later.id]
    assert set(items[0]) == {"id", "round_id", "team", "clue_number", "body", "body_name", "reference",
                             "transferred_on", "due_on", "days_overdue", "reminders"}  # no identity, no text
    assert (items[0]["team"], items[1]["team"], items[0]["reminders"], items[1]["reminders"]) == (
        "第一组", "第二组", 1, 0)
    assert items[0]["body_name"] == "县自然资源局"
    assert items[0]["days_overdue"] == (today_in(DEFAULT_TIMEZONE) - LONG_AGO).days
    text = runner.invoke(args=["transfers", "overdue"]).output
    assert text.splitlines()[0].startswith(f"{older.id}\t")


def test_the_command_lists_one_rounds_overdue_transfers_by_its_own_day(runner, two_teams, staff):
    ours = transferred(two_teams, staff["admin"], due_on=LONG_AGO)
    kashgar = make_round(name="喀什地区巡察", timezone="Asia/Urumqi")
    theirs = transferred(kashgar, staff["admin"], due_on=LONG_AGO)
    result = runner.invoke(args=["transfers", "overdue", "--round", str(kashgar.id), "--json"])
    assert result.exit_code == 0, result.output
    assert [item["id"] for item in json.loads(result.output)] == [theirs.id]
    both = json.loads(runner.invoke(args=["transfers", "overdue", "--json"]).output)
    assert {item["id"] for item in both} == {ours.id, theirs.id}
    unknown = runner.invoke(args=["transfers", "overdue", "--round", "999999"])
    assert unknown.exit_code == 1 and "999999" in unknown.output and "Traceback" not in unknown.output
