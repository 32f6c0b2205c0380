"""`/admin/rounds/<id>/handover` through the test client: admins only, the undecided named, the zip downloaded."""
import json

from sqlalchemy import select

from reporting.extensions import db
from reporting.models import AuditEvent
from tests.factories import csrf_from, csrf_token, log_in
from tests.handover.conftest import opened, received


def path(round_) -> str:
    return f"/admin/rounds/{round_.id}/handover"


def post(client, round_, data: dict | None = None):
    token = csrf_token(client.get(path(round_)).get_data(as_text=True))
    return client.post(path(round_), data={"csrf_token": token} | (data or {}))


def test_only_admins_open_the_page(client, triaged, staff):
    for name in ("leader1", "member1"):
        log_in(client, staff[name])
        assert client.get(path(triaged.round)).status_code == 403
        token = csrf_from(client, "/staff/account")
        assert client.post(path(triaged.round), data={"csrf_token": token}).status_code == 403
    log_in(client, staff["admin"])
    assert client.get("/admin/rounds/999/handover").status_code == 404


def test_anyone_logged_out_is_sent_to_the_login(client, triaged):
    response = client.get(path(triaged.round))
    assert response.status_code == 302 and "/staff/login" in response.location


def test_the_round_page_links_to_the_handover(client, triaged, staff):
    log_in(client, staff["admin"])
    page = client.get(f"/admin/rounds/{triaged.round.id}").get_data(as_text=True)
    assert f'href="{path(triaged.round)}"' in page


def test_the_admin_downloads_the_zip(client, triaged, staff):
    log_in(client, staff["admin"])
    page = client.get(path(triaged.round)).get_data(as_text=True)
    assert 'id="undecided"' not in page and 'name="force"' not in page and 'name="with_identity"' in page
    response = post(client, triaged.round)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    package = opened(response.data)
    assert json.loads(package.read("manifest.json"))["round"]["id"] == triaged.round.id
    assert "identity" not in " ".join(package.namelist())
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.handed_over"))
    assert event.actor_id == staff["admin"].id


def test_the_page_names_the_undecided_and_refuses_unless_forced(client, triaged, staff):
    waiting = received(triaged.round)
    log_in(client, staff["admin"])
    page = client.get(path(triaged.round)).get_data(as_text=True)
    assert 'id="undecided"' in page and f'href="/staff/reports/{waiting.id}"' in page and 'name="force"' in page
    refused = post(client, triaged.round)
    assert refused.status_code == 409 and "没有移交" in refused.get_data(as_text=True)
    assert triaged.round.handed_over_at is None
    forced = post(client, triaged.round, {"force": "y"})
    assert forced.status_code == 200 and forced.mimetype == "application/zip"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.handed_over"))
    assert (event.detail["forced"], event.detail["undecided"]) == (True, 1)


def test_identities_come_only_when_the_admin_asks(client, triaged, staff):
    log_in(client, staff["admin"])
    response = post(client, triaged.round, {"with_identity": "y"})
    names = opened(response.data).namelist()
    assert [name for name in names if name.endswith("identity.txt")] == [
        f"clues/{triaged.named.clue_number}/identity.txt"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "identity.handed_over"))
    assert (event.report_id, event.actor_id) == (triaged.named.id, staff["admin"].id)


def test_a_round_may_be_handed_over_again(client, triaged, staff):
    log_in(client, staff["admin"])
    assert post(client, triaged.round).status_code == 200
    assert post(client, triaged.round).status_code == 200
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "round.handed_over")).all()
    assert len(events) == 2
