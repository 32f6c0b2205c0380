"""`/staff/stats`: a round's figures over what the user may see, without any identity."""
from reporting.intake.services import submit_report
from reporting.submission.services import Origin, save_report
from reporting.triage.services import apply_action
from tests.factories import log_in, make_staff, submission

NO_TEAM = "您尚未加入任何巡视巡察组，请联系管理员。"


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


def test_without_a_team_the_page_says_so(client, two_teams):
    """A round with a report exists, but a member of no team sees none of its figures, even when asking for it."""
    submit_report(two_teams.round_code, submission(True, two_teams.units[0]), [])
    log_in(client, make_staff("member"))
    for path in ("/staff/stats", f"/staff/stats?round={two_teams.id}"):
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert NO_TEAM in page, path
        assert 'id="total"' not in page and 'id="round"' not in page and two_teams.name not in page, path
