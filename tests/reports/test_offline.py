"""Letters, visits, calls and emails typed in by staff join the same queue and rules."""
from datetime import date

from sqlalchemy import select

from reporting.extensions import db
from reporting.models import Report, today_in
from tests.factories import log_in, tallied
from tests.reports.conftest import record


def test_a_member_records_a_letter_for_a_unit_of_their_team(client, staff, two_teams, post_form):
    log_in(client, staff["member1"])
    response = record(post_form, two_teams, unit_id=str(two_teams.units[1].id), channel="letter")
    assert response.status_code == 302, response.get_data(as_text=True)
    report = db.session.scalars(select(Report)).one()
    assert (report.channel, report.received_on, report.team_id) == ("letter", date(2026, 11, 20),
                                                                   two_teams.teams[0].id)
    assert report.recorded_by_id == staff["member1"].id and report.receipt_digest is None
    assert tallied(two_teams.id, two_teams.teams[0].id, "received") == 1


def test_a_named_visit_keeps_the_identity_encrypted(client, staff, two_teams, post_form):
    log_in(client, staff["leader1"])
    record(post_form, two_teams, channel="visit", anonymous="0", reporter_name="周九", reporter_phone="13611112222",
           team_id=str(two_teams.teams[0].id), visitors="1", receiving_officer="李接待")
    report = db.session.scalars(select(Report)).one()
    assert not report.is_anonymous and b"13611112222" not in report.identity_ciphertext


def test_a_member_cannot_record_into_another_team(client, staff, two_teams, post_form):
    log_in(client, staff["member1"])
    response = record(post_form, two_teams, team_id=str(two_teams.teams[1].id))
    assert response.status_code == 400  # not among the team choices offered
    assert db.session.scalars(select(Report)).all() == []


def test_only_an_admin_may_leave_an_item_unrouted(client, staff, two_teams, post_form):
    log_in(client, staff["admin"])
    assert record(post_form, two_teams, channel="call").status_code == 302
    assert db.session.scalars(select(Report)).one().team_id is None


def test_a_missing_date_or_text_comes_back_filled_in(client, staff, two_teams, post_form):
    log_in(client, staff["member1"])
    response = record(post_form, two_teams, received_on="", team_id=str(two_teams.teams[0].id))
    assert response.status_code == 400
    assert "来信反映乙单位违规吃喝问题。" in response.get_data(as_text=True)


def test_a_member_must_choose_a_team_or_a_unit(client, staff, two_teams, post_form):
    log_in(client, staff["member1"])
    response = record(post_form, two_teams)
    assert response.status_code == 400
    assert "请选择巡视巡察组或单位" in response.get_data(as_text=True)


def test_the_form_speaks_to_staff_about_the_reporter_and_dates_the_item_today(client, staff, two_teams):
    log_in(client, staff["member1"])
    page = client.get(f"/staff/reports/new?round={two_teams.id}").get_data(as_text=True)
    assert ">反映人姓名</label>" in page and ">反映人电话</label>" in page and "您的姓名" not in page
    assert ">反映方式</label>" in page and '<option value="email">电子邮件</option>' in page
    assert f'value="{today_in(two_teams.timezone).isoformat()}"' in page
