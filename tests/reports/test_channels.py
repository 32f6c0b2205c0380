"""What each offline channel records besides the text: a visit's number of visitors (集体访 from five) and its
receiving officer, a call's number kept inside the encrypted identity."""
import csv
import io

import pytest
from sqlalchemy import select, text

from reporting.extensions import db
from reporting.handover.texts import field_lines, identity_text
from reporting.models import AuditEvent, Report, is_group_visit
from tests.factories import csrf_token, log_in
from tests.reports.conftest import record

CALLER = "0731-84567890"


def team_of(round_) -> str:
    return str(round_.teams[0].id)


def the_report() -> Report:
    return db.session.scalars(select(Report)).one()


def test_five_visitors_or_more_make_a_group_visit():
    assert [is_group_visit(count) for count in (None, 1, 4, 5, 30)] == [False, False, False, True, True]


@pytest.mark.parametrize(("visitors", "shown"), [("7", "7 · 集体访"), ("2", "2")])
def test_a_visit_keeps_its_visitors_and_receiving_officer_and_the_page_shows_them(client, staff, two_teams, post_form,
                                                                                  visitors, shown):
    log_in(client, staff["member1"])
    response = record(post_form, two_teams, channel="visit", team_id=team_of(two_teams), visitors=visitors,
                      receiving_officer="李接待")
    assert response.status_code == 302
    report = the_report()
    assert (report.visitors, report.receiving_officer) == (int(visitors), "李接待")
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    assert f'<dd id="visitors">{shown}</dd>' in page and '<dd id="receiving-officer">李接待</dd>' in page
    assert "来访人数" in page and "接待人" in page


@pytest.mark.parametrize(("fields", "error"), [
    ({"visitors": "0", "receiving_officer": "李接待"}, "请填写来访人数（至少 1 人）。"),
    ({"visitors": "", "receiving_officer": "李接待"}, "请填写来访人数（至少 1 人）。"),
    ({"visitors": "3", "receiving_officer": ""}, "请填写接待人。"),
])
def test_a_visit_without_its_fields_comes_back_with_everything_typed(client, staff, two_teams, post_form, fields,
                                                                      error):
    log_in(client, staff["member1"])
    response = record(post_form, two_teams, channel="visit", team_id=team_of(two_teams), anonymous="0",
                      reporter_name="周九", reporter_phone="13611112222", **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and error in page and page.count(error) == 1
    assert "来信反映乙单位违规吃喝问题。" in page and 'value="周九"' in page
    assert f'value="{fields["visitors"]}"' in page or not fields["visitors"]
    assert 'value="李接待"' in page or not fields["receiving_officer"]
    assert db.session.scalars(select(Report)).all() == []


def test_a_letter_ignores_what_the_visit_and_call_groups_hold(client, staff, two_teams, post_form):
    """Without script every group is on the page: another channel's leftovers are neither checked nor kept."""
    log_in(client, staff["member1"])
    response = record(post_form, two_teams, team_id=team_of(two_teams), anonymous="0", reporter_name="周九",
                      reporter_phone="13611112222", visitors="", receiving_officer="李接待", caller_number="abc")
    assert response.status_code == 302
    report = the_report()
    assert (report.visitors, report.receiving_officer) == (None, "")
    assert 'id="visitors"' not in client.get(f"/staff/reports/{report.id}").get_data(as_text=True)


def raw_rows(report_id: int) -> str:
    """Every column of the report's row and of its audit rows, as the database gives them back."""
    rows = db.session.execute(text("SELECT * FROM report WHERE id = :id"), {"id": report_id}).all()
    rows += db.session.execute(text("SELECT * FROM audit_event WHERE report_id = :id"), {"id": report_id}).all()
    return repr([[bytes(value) if isinstance(value, memoryview) else value for value in row] for row in rows])


def test_a_named_call_keeps_its_number_only_encrypted_and_shows_it_after_an_audited_reveal(
        client, staff, two_teams, post_form):
    log_in(client, staff["leader1"])
    response = record(post_form, two_teams, channel="call", team_id=team_of(two_teams), anonymous="0",
                      reporter_name="周九", reporter_phone="13611112222", caller_number=CALLER)
    assert response.status_code == 302
    report = the_report()
    stored = raw_rows(report.id)
    assert CALLER not in stored and "84567890" not in stored and "13611112222" not in stored
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    assert "84567890" not in page
    revealed = client.post(f"/staff/reports/{report.id}/identity", data={"csrf_token": csrf_token(page)},
                           follow_redirects=True).get_data(as_text=True)
    assert f'<p id="caller-number">来电号码：{CALLER}</p>' in revealed and "周九 · 13611112222" in revealed
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.report_id == report.id)).all()
    assert "identity.revealed" in actions
    assert "84567890" not in client.get(f"/staff/reports/{report.id}").get_data(as_text=True)  # shown once


def test_a_members_page_and_the_ledger_never_show_the_callers_number(client, staff, two_teams, post_form):
    log_in(client, staff["member1"])
    record(post_form, two_teams, channel="call", team_id=team_of(two_teams), anonymous="0", reporter_name="周九",
           reporter_phone="13611112222", caller_number=CALLER)
    report = the_report()
    assert "84567890" not in client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    assert client.post(f"/staff/reports/{report.id}/identity",
                       data={"csrf_token": csrf_token(client.get("/staff/").get_data(as_text=True))}).status_code == 403
    ledger = client.get(f"/staff/export.csv?round={two_teams.id}", buffered=True)
    assert ledger.status_code == 200 and "84567890" not in ledger.get_data(as_text=True)


def test_the_ledger_adds_the_visitors_and_group_visit_after_the_specs_columns(client, staff, two_teams, post_form):
    log_in(client, staff["member1"])
    for visitors in ("6", "2"):
        record(post_form, two_teams, channel="visit", team_id=team_of(two_teams), visitors=visitors,
               receiving_officer="李接待")
    record(post_form, two_teams, team_id=team_of(two_teams))
    ledger = client.get(f"/staff/export.csv?round={two_teams.id}", buffered=True).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(ledger.lstrip("\ufeff"))))
    assert rows[0][:3] == ["编号", "受理日期", "渠道"] and rows[0][-2:] == ["来访人数", "集体访"]
    assert [(row[2], *row[-2:]) for row in rows[1:]] == [("来访", "6", "是"), ("来访", "2", "否"), ("来信", "", "")]


def test_an_anonymous_calls_number_is_not_recorded(client, staff, two_teams, post_form):
    log_in(client, staff["leader1"])
    assert record(post_form, two_teams, channel="call", team_id=team_of(two_teams), anonymous="1",
                  caller_number=CALLER).status_code == 302
    report = the_report()
    assert report.is_anonymous and report.identity_ciphertext is None and "84567890" not in raw_rows(report.id)


def test_a_callers_number_that_is_no_phone_number_comes_back(client, staff, two_teams, post_form):
    log_in(client, staff["member1"])
    response = record(post_form, two_teams, channel="call", team_id=team_of(two_teams), anonymous="0",
                      reporter_name="周九", reporter_phone="13611112222", caller_number="12345")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'value="12345"' in page and "0731-88888888" in page
    assert db.session.scalars(select(Report)).all() == []


def test_the_form_groups_each_channels_fields_under_its_legend(client, staff, two_teams):
    log_in(client, staff["member1"])
    page = client.get(f"/staff/reports/new?round={two_teams.id}").get_data(as_text=True)
    assert '<fieldset class="channel-fields" data-channel="visit" id="visit-fields">' in page
    assert "<legend>来访登记</legend>" in page and "<legend>来电登记</legend>" in page
    assert ">来访人数</label>" in page and ">接待人</label>" in page and ">来电号码</label>" in page
    assert "5 人以上（含 5 人）按集体访统计。" in page and "/static/js/channel.js" in page


def test_the_handover_names_a_visits_fields_and_a_calls_number_only_with_the_identity(app, two_teams):
    visit = Report(channel="visit", visitors=6, receiving_officer="李接待", received_on=two_teams.starts_on,
                   status="clue", content="来访", is_anonymous=True)
    assert ("来访人数", "6（集体访）") in field_lines(visit) and ("接待人", "李接待") in field_lines(visit)
    assert identity_text({"name": "周九", "phone": "13611112222", "caller_number": CALLER}).endswith(
        f"来电号码：{CALLER}\n")
    assert "来电号码" not in identity_text({"name": "周九", "phone": "13611112222"})
