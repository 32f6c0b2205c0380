"""`/staff/stats` and `/staff/stats.xlsx`: the figures of the chosen scope over what the user may see, with
charts drawn as inline SVG, agreeing with `rounds figures --json`."""
import io
import json
from datetime import date

from openpyxl import load_workbook

from reporting.followup.figures import flatten
from reporting.intake.services import submit_report
from reporting.rounds.services import TeamPlan
from tests.factories import log_in, make_round, make_staff, submission
from tests.followup.conftest import EXPECTED, EXPECTED_TEAM1, EXPECTED_TEAM2, triage_set

NO_TEAM = "您尚未加入任何巡视巡察组，请联系管理员。"
ON_THE_PAGE = [(key, value) for key, value in flatten(EXPECTED)
               if not key.startswith("transfers.by_body.") and key != "outcomes.money_yuan"]


def shown(page: str, key: str) -> str:
    """The number the page shows for a figure's dotted key."""
    marker = f'id="{key.replace(".", "-")}">'
    start = page.index(marker) + len(marker)
    return page[start:page.index("<", start)]


def stats_page(client, user, query: str) -> str:
    log_in(client, user)
    response = client.get(f"/staff/stats?{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_page_shows_what_the_command_prints(client, runner, two_teams, staff):
    triage_set(two_teams, staff)
    printed = json.loads(runner.invoke(args=["rounds", "figures", str(two_teams.id), "--json"]).output)
    page = stats_page(client, staff["admin"], f"round={two_teams.id}")
    assert printed == EXPECTED
    assert [(key, shown(page, key)) for key, _ in ON_THE_PAGE] == [(key, str(value)) for key, value in ON_THE_PAGE]
    assert '<th scope="row">县自然资源局</th><td class="number">1</td>' in page
    assert shown(page, "outcomes.money_wan") == "12.5"
    assert "李四" not in page and "13912345678" not in page


def test_each_team_sees_its_own_numbers(client, two_teams, staff):
    triage_set(two_teams, staff)
    for user, expected in ((staff["leader1"], EXPECTED_TEAM1), (staff["member2"], EXPECTED_TEAM2)):
        page = stats_page(client, user, f"round={two_teams.id}")
        assert {key: int(shown(page, key)) for key in expected if key != "outcomes.money_yuan"} == {
            key: value for key, value in expected.items() if key != "outcomes.money_yuan"}, user.username
    assert shown(stats_page(client, staff["member2"], f"round={two_teams.id}"), "outcomes.money_wan") == "0"


def test_the_charts_are_inline_svg_without_style_attributes_or_script(client, two_teams, staff):
    triage_set(two_teams, staff)
    page = stats_page(client, staff["admin"], f"round={two_teams.id}")
    for chart in ("channels", "bodies", "decisions", "satisfaction"):
        assert f'<figure class="chart" id="chart-{chart}">' in page
    assert page.count("<svg") == 4 and '<rect class="bar"' in page
    assert "style=" not in page and "<script" not in page


def test_linked_rounds_and_a_year_are_scopes_of_the_page(client, two_teams, staff):
    submit_report(two_teams.round_code, submission(unit=two_teams.units[0]), [])
    child = make_round([TeamPlan("县组", ["县单位"])], name="县级巡察", parent_id=two_teams.id,
                       starts_on=date(2031, 3, 1), ends_on=date(2031, 5, 1))
    for _ in range(2):
        submit_report(child.round_code, submission(unit=child.units[0]), [])
    admin = staff["admin"]
    assert shown(stats_page(client, admin, f"round={two_teams.id}"), "received.total") == "1"
    linked = stats_page(client, admin, f"round={two_teams.id}&linked=1")
    assert shown(linked, "received.total") == "3" and "县级巡察" in linked
    assert shown(stats_page(client, admin, "year=2031"), "received.total") == "2"
    both = stats_page(client, admin, f"round={two_teams.id}&round={child.id}")
    assert shown(both, "received.total") == "3"
    # leader1 works in the parent round only: the linked round adds nothing the leader may not see.
    assert shown(stats_page(client, staff["leader1"], f"round={two_teams.id}&linked=1"), "received.total") == "1"
    assert "县级巡察" not in stats_page(client, staff["leader1"], f"round={child.id}")


def test_the_spreadsheet_lists_key_label_and_number(client, two_teams, staff):
    triage_set(two_teams, staff)
    log_in(client, staff["admin"])
    response = client.get(f"/staff/stats.xlsx?round={two_teams.id}&lang=en")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0] == (two_teams.name, None, None)
    numbers = {key: (label, value) for key, label, value in rows[2:]}
    assert {key: value for key, (_, value) in numbers.items()} == dict(flatten(EXPECTED))
    assert numbers["received.total"][0] == "受理信访举报（件次）" and numbers["satisfaction.basically"][0] == "基本满意"
    assert numbers["transfers.by_body.县自然资源局"][0] == "县自然资源局"


def test_the_spreadsheet_of_an_empty_scope_is_not_found(client, two_teams, staff):
    log_in(client, staff["member2"])
    other = make_round(name="别的巡察")
    assert client.get(f"/staff/stats.xlsx?round={other.id}").status_code == 404
    log_in(client, make_staff("member"))
    assert client.get("/staff/stats.xlsx").status_code == 404


def test_the_page_and_the_spreadsheet_need_a_login(client):
    for path in ("/staff/stats", "/staff/stats.xlsx"):
        assert client.get(path).status_code in (302, 401)


def test_without_a_team_the_page_says_so(client, two_teams):
    """A round with a report exists, but a member of no team sees none of its figures, even when asking for it."""
    submit_report(two_teams.round_code, submission(True, two_teams.units[0]), [])
    log_in(client, make_staff("member"))
    for path in ("/staff/stats", f"/staff/stats?round={two_teams.id}"):
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert NO_TEAM in page, path
        assert 'id="received-total"' not in page and 'id="round"' not in page and two_teams.name not in page, path


def test_a_round_name_that_would_be_a_formula_is_defused_in_the_spreadsheet(client, staff):
    round_ = make_round(name="=1+1 巡察")
    log_in(client, staff["admin"])
    rows = list(load_workbook(io.BytesIO(client.get(f"/staff/stats.xlsx?round={round_.id}").data)).active
                .iter_rows(values_only=True))
    assert rows[0][0] == "'=1+1 巡察"
