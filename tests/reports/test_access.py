"""Every staff route that takes an id: 404 for what the user may not see, login for the logged out, CSRF on."""
import pytest
from sqlalchemy import select

from reporting.extensions import db
from reporting.models import Attachment
from tests.factories import log_in

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


def test_every_staff_form_needs_its_csrf_token(client, staff, team1_routes):
    log_in(client, staff["admin"])
    posts = [path for method, path in team1_routes if method == "POST"]
    for path in posts + ["/staff/reports/new", "/staff/account", "/staff/account/totp", "/admin/users/new",
                         "/staff/logout"]:
        assert client.post(path, data={"action": "review"}).status_code == 400, path


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
