"""Every staff route that takes an id: 404 for what the user may not see, login for the logged out, CSRF on."""
from datetime import date

import pyotp
import pytest
from sqlalchemy import select

from reporting.extensions import db
from reporting.models import Attachment
from tests.factories import csrf_from, log_in, shown_secret

POSTS = ["/staff/reports/{id}/triage", "/staff/reports/{id}/messages", "/staff/reports/{id}/identity"]


def routes(report, attachment) -> list[tuple[str, str]]:
    return ([("GET", f"/staff/reports/{report.id}"), ("GET", f"/staff/attachments/{attachment.id}")]
            + [("POST", path.format(id=report.id)) for path in POSTS])


@pytest.fixture
def team1_routes(reports):
    report = reports["team1"][0]
    attachment = db.session.scalars(select(Attachment).where(Attachment.report_id == report.id)).one()
    return routes(report, attachment)


def test_a_member_of_another_team_gets_404_everywhere(client, staff, team1_routes, post_form):
    log_in(client, staff["member2"])
    for method, path in team1_routes:
        if method == "GET":
            response = client.get(path)
        else:
            response = post_form(path, {"action": "review", "kind": "note", "body": "x"}, token_page="/staff/account")
        assert response.status_code == 404, path


def test_the_logged_out_are_sent_to_login_everywhere(client, staff, team1_routes, post_form):
    for method, path in team1_routes:
        response = client.get(path) if method == "GET" else post_form(path, {"action": "review"})
        assert response.status_code == 302 and "/staff/login" in response.headers["Location"], path


def staff_forms(two_teams, report) -> dict[str, tuple[str, dict, int]]:
    """Every staff form: (path, fields an admin's POST is accepted with, the status when accepted)."""
    offline = {"channel": "letter", "received_on": date.today().isoformat(), "anonymous": "1", "unit_id": "",
               "team_id": "", "category": "", "content": "来信反映乙单位违规吃喝问题。"}
    account = {"username": "newcomer", "role": "member", "team_ids": str(two_teams.teams[0].id), "active": "y",
               "password": "newcomer password"}
    return {
        "triage": (f"/staff/reports/{report.id}/triage", {"action": "review"}, 302),
        "message": (f"/staff/reports/{report.id}/messages", {"kind": "note", "body": "内部备注"}, 302),
        "identity": (f"/staff/reports/{report.id}/identity", {}, 302),
        "offline item": (f"/staff/reports/new?round={two_teams.id}", offline, 302),
        "password": ("/staff/account", {"current": "staff password", "new": "new password 1",
                                        "confirm": "new password 1"}, 302),
        "second factor": ("/staff/account/totp", {"password": "staff password", "code": "from the app"}, 302),
        "new account": ("/admin/users/new", account, 302),
        "logout": ("/staff/logout", {}, 302),
    }


def database_rows() -> dict[str, list]:
    """Every row of every table: what a refused POST must leave as it was."""
    return {table.name: list(db.session.execute(select(table).order_by(*table.primary_key.columns)))
            for table in db.metadata.sorted_tables}


@pytest.mark.parametrize("form", ["triage", "message", "identity", "offline item", "password", "second factor",
                                  "new account", "logout"])
def test_every_staff_form_needs_its_csrf_token(client, staff, two_teams, reports, form):
    """Each form, posted with fields it accepts but no token, is refused and changes nothing; the same POST with
    the token goes through. So the missing token, and nothing else, is what refused it."""
    path, fields, accepted = staff_forms(two_teams, reports["team1"][0])[form]
    log_in(client, staff["admin"])
    token = csrf_from(client, "/staff/account")

    def filled() -> dict:
        """The fields, with a second factor's code as the authenticator app shows it now."""
        return fields | ({"code": pyotp.TOTP(shown_secret(client)).now()} if "code" in fields else {})

    before = database_rows()
    refused = client.post(path, data=filled())
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "表单打开时间过长" in page and "13912345678" not in page  # the token's refusal, revealing nothing
    assert database_rows() == before
    assert client.get("/staff/account").status_code == 200  # still logged in

    answer = client.post(path, data=filled() | {"csrf_token": token})
    assert answer.status_code == accepted, answer.get_data(as_text=True)
    assert database_rows() != before


@pytest.mark.parametrize("path", ["/staff/reports/3000000000", "/staff/attachments/99999999999999999999",
                                  "/admin/rounds/3000000000", "/admin/users/3000000000", "/admin/codes/3000000000.png"])
def test_ids_beyond_the_databases_integers_are_404(client, staff, path):
    log_in(client, staff["admin"])
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("query", ["/admin/audit?report=99999999999&before=x", "/staff/reports/new?round=9e99"])
def test_odd_ids_in_query_strings_are_ignored(client, staff, query):
    log_in(client, staff["admin"])
    assert client.get(query).status_code == 200


def test_the_own_team_and_admins_see_the_report(client, staff, reports):
    report = reports["team1"][0]
    for name in ("member1", "leader1", "admin"):
        log_in(client, staff[name])
        assert client.get(f"/staff/reports/{report.id}").status_code == 200, name
    log_in(client, staff["member2"])
    assert client.get(f"/staff/reports/{reports['team2'][0].id}").status_code == 200
