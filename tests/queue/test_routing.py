"""Every web report reaches someone: its unit's team, the round's default team, a one-team round's team,
or 待分派 (`/staff/?team=none`), counted at the top of the admin's queue until an admin routes it."""
from sqlalchemy import event

from reporting.extensions import db
from reporting.intake.services import find_code, submit_report
from reporting.rounds.services import TeamPlan, update_round
from tests.factories import csrf_token, log_in, make_round, make_staff, submission


def web_report(round_, unit=None, content="反映村里的问题。"):
    return submit_report(round_.round_code, submission(unit=unit, content=content), [])[0]


def two_team_round():
    return make_round(teams=[TeamPlan("第一组", ["甲单位"]), TeamPlan("第二组", ["乙单位"])])


def test_a_report_goes_to_its_units_team_else_the_default_team_else_waits(app):
    round_ = two_team_round()
    admin = make_staff("admin")
    assert web_report(round_, round_.units[1]).team_id == round_.teams[1].id
    assert web_report(round_).team_id is None
    update_round(round_, {"default_team_id": round_.teams[0].id}, admin)
    assert web_report(round_).team_id == round_.teams[0].id


def test_a_one_team_round_routes_to_its_team(app):
    round_ = make_round()
    assert web_report(round_).team_id == round_.teams[0].id


def test_a_poster_read_with_its_round_knows_a_one_team_rounds_team_without_loading_the_teams(app):
    one, two = make_round(), two_team_round()
    token, team_id, two_token = one.round_code.token, one.teams[0].id, two.round_code.token
    db.session.expunge_all()  # as in a request: nothing loaded yet
    statements: list[str] = []

    def note(_connection, _cursor, statement, *_):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        report = submit_report(find_code(token), submission(), [])[0]
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert report.team_id == team_id
    assert not any("FROM team" in statement for statement in statements[1:])  # the first is find_code's own
    assert find_code(two_token).round.sole_team_id is None
    assert submit_report(find_code(two_token), submission(), [])[0].team_id is None


def test_the_admin_sees_and_filters_what_waits_and_routes_it(client, app):
    round_ = two_team_round()
    waiting = web_report(round_, content="不确定单位的反映")
    routed = web_report(round_, round_.units[0], content="甲单位的反映")
    admin = make_staff("admin")
    log_in(client, admin)
    queue = client.get("/staff/").get_data(as_text=True)
    assert 'id="unrouted"' in queue and "1 件反映待分派到巡察组" in queue and 'href="/staff/?team=none"' in queue
    page = client.get("/staff/?team=none").get_data(as_text=True)
    assert f'data-id="{waiting.id}"' in page and f'data-id="{routed.id}"' not in page
    assert '<option selected value="none">' in page
    assert 'data-status="received">1<' in page

    report_page = client.get(f"/staff/reports/{waiting.id}").get_data(as_text=True)
    answer = client.post(f"/staff/reports/{waiting.id}/triage", data={
        "csrf_token": csrf_token(report_page), "action": "route", "team_id": str(round_.teams[1].id)})
    assert answer.status_code == 302
    assert 'id="unrouted"' not in client.get("/staff/").get_data(as_text=True)
    assert f'data-id="{waiting.id}"' not in client.get("/staff/?team=none").get_data(as_text=True)


def test_members_and_leaders_are_not_offered_what_waits(client, app):
    round_ = two_team_round()
    web_report(round_)
    log_in(client, make_staff("leader", [round_.teams[0]]))
    queue = client.get("/staff/").get_data(as_text=True)
    assert 'id="unrouted"' not in queue and 'value="none"' not in queue
    assert "data-id=" not in client.get("/staff/?team=none").get_data(as_text=True)


def test_the_admin_sets_a_default_team_on_the_round_page(client, app):
    round_ = two_team_round()
    log_in(client, make_staff("admin"))
    page = client.get(f"/admin/rounds/{round_.id}").get_data(as_text=True)
    assert 'name="default_team_id"' in page
    form = {name: value for name, value in (
        ("name", round_.name), ("level", round_.level), ("starts_on", str(round_.starts_on)),
        ("ends_on", str(round_.ends_on)), ("timezone", round_.timezone), ("categories", "\n".join(round_.categories)),
        ("default_team_id", str(round_.teams[1].id)))}
    answer = client.post(f"/admin/rounds/{round_.id}", data={"csrf_token": csrf_token(page)} | form)
    assert answer.status_code == 302
    db.session.expire_all()
    assert round_.default_team_id == round_.teams[1].id
    assert web_report(round_).team_id == round_.teams[1].id
