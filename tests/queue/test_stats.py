"""`/staff/stats`: a round's figures over what the user may see, without any identity."""
from reporting.intake.services import Origin, save_report, submit_report
from reporting.triage.services import apply_action
from tests.factories import log_in
from tests.reports.conftest import submission
from tests.staff.conftest import staff, two_teams  # noqa: F401  (shared fixtures)


def test_figures_by_channel_status_and_unit_for_the_users_teams(client, staff, two_teams):
    code = two_teams.round_code
    first, _ = submit_report(code, submission(False, two_teams.units[0]), [])
    submit_report(code, submission(True, two_teams.units[1], category="廉洁纪律"), [])
    submit_report(code, submission(True, two_teams.units[2]), [])  # team 2: not the leader's
    save_report(two_teams, submission(True, two_teams.units[0]), [],
                Origin("letter", first.received_on, None, recorded_by=staff["member1"]))
    apply_action(first, staff["leader1"], "clue", {"summary": "线索", "disposal": "初步核实"})
    log_in(client, staff["leader1"])
    page = client.get(f"/staff/stats?round={two_teams.id}").get_data(as_text=True)
    assert '<dd id="total">3</dd>' in page and '<dd id="clues">1</dd>' in page
    assert "来信" in page and "甲单位" in page and "丙单位" not in page and "李四" not in page
    log_in(client, staff["admin"])
    assert '<dd id="total">4</dd>' in client.get(f"/staff/stats?round={two_teams.id}").get_data(as_text=True)


def test_without_a_team_the_page_says_so(client, app):
    from tests.factories import make_staff

    log_in(client, make_staff("member"))
    assert client.get("/staff/stats").status_code == 200
