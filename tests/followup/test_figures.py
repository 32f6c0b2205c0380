"""Figures (`reporting.followup.figures`): the rules that decide what counts where, and `rounds figures`."""
import json
from datetime import date

import pytest
from sqlalchemy import event

from reporting.extensions import db
from reporting.followup.charts import CHART_WIDTH, bars
from reporting.followup.figures import ReportGroup, Scope, body_key, figures_of, flatten, fold, scope_ids
from reporting.rounds.lineage import RoundLink
from reporting.rounds.services import TeamPlan
from tests.factories import make_round
from tests.followup.conftest import EXPECTED, received

LINKS = [RoundLink(1, None, date(2025, 3, 1)), RoundLink(2, 1, date(2026, 4, 1)), RoundLink(3, 2, date(2026, 9, 1)),
         RoundLink(4, None, date(2026, 1, 5)), RoundLink(5, 1, date(2027, 1, 5))]


def group(channel="web", status="received", reports=1, clues=0, transfers=0, answered=0, overdue=0,
          body="", body_name="") -> ReportGroup:
    return ReportGroup(channel, status, body, body_name, reports, clues, transfers, answered, overdue)


def test_every_report_is_received_and_the_total_is_the_sum_by_channel():
    figures = fold([group("web", reports=3), group("letter", "duplicate", reports=2), group("call", "filed")], [])
    assert figures["received"] == {"total": 6, "web": 3, "letter": 2, "visit": 0, "call": 1, "email": 0}


def test_a_merged_duplicate_counts_in_duplicates_and_no_other_decision():
    figures = fold([group(status="duplicate", reports=2, clues=2, transfers=2, body="组织部门")], ["组织部门"])
    assert figures["duplicates"] == 2 and figures["received"]["total"] == 2
    assert figures["clues"] == figures["transfers"]["total"] == figures["undecided"] == 0
    assert figures["transfers"]["by_body"] == {"组织部门": 0}


def test_a_clue_later_transferred_counts_once_in_each_and_其他_by_its_name():
    figures = fold([group(status="transferred", clues=1, transfers=1, answered=1, body="纪检监察机关"),
                    group(status="transferred", transfers=2, overdue=1, body="其他", body_name="县自然资源局")],
                   ["纪检监察机关", "组织部门"])
    assert figures["clues"] == 1 and figures["transfers"] == {
        "total": 3, "by_body": {"纪检监察机关": 1, "组织部门": 0, "县自然资源局": 2}}
    assert (figures["transfers_answered"], figures["transfers_overdue"]) == (1, 1)


@pytest.mark.parametrize(("status", "counted"), [("received", "undecided"), ("in_review", "undecided"),
                                                 ("proposed", "undecided"), ("filed", "filed"),
                                                 ("out_of_scope", "out_of_scope"), ("clue", None)])
def test_statuses_count_as_their_decision(status, counted):
    figures = fold([group(status=status)], [])
    for name in ("undecided", "filed", "out_of_scope"):
        assert figures[name] == (1 if name == counted else 0), name


def test_a_body_key_is_the_listed_body_or_the_name_of_其他():
    assert body_key("组织部门", "市委组织部") == "组织部门"
    assert body_key("其他", "县自然资源局") == "县自然资源局" and body_key("其他", "") == "其他"


def test_bars_scale_to_the_largest_value_and_show_a_sliver_above_zero():
    assert [(bar.label, bar.width, bar.y) for bar in bars([("a", 300), ("b", 1), ("c", 0)])] == [
        ("a", CHART_WIDTH, 0), ("b", 1, 24), ("c", 0, 48)]
    assert bars([("a", 0)])[0].width == 0 and bars([]) == []


def test_flatten_gives_dotted_keys_in_order():
    assert flatten({"a": 1, "b": {"c": 2, "d": {"e": 3}}}) == [("a", 1), ("b.c", 2), ("b.d.e", 3)]


@pytest.mark.parametrize(("scope", "ids"), [
    (Scope(frozenset({1})), {1}),
    (Scope(frozenset({1}), linked=True), {1, 2, 3, 5}),
    (Scope(frozenset({2}), linked=True), {2, 3}),
    (Scope(year=2026), {2, 3, 4}),
    (Scope(frozenset({5}), year=2026), {2, 3, 4, 5}),
    (Scope(frozenset({99})), set()),
])
def test_a_scope_covers_rounds_chosen_a_year_and_linked_rounds(scope, ids):
    assert scope_ids(scope, LINKS, None) == ids


def test_a_scope_keeps_only_the_rounds_allowed():
    assert scope_ids(Scope(frozenset({1}), linked=True), LINKS, {1, 3, 4}) == {1, 3}


def figures_json(runner, *args) -> dict:
    result = runner.invoke(args=["rounds", "figures", *map(str, args), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_command_prints_the_spec_keys_as_the_definitions_give_them(runner, triaged):
    assert figures_json(runner, triaged.round.id) == EXPECTED


def test_the_command_prints_a_readable_table(runner, triaged):
    result = runner.invoke(args=["rounds", "figures", str(triaged.round.id)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "\t10\treceived.total" in lines[1] and "县自然资源局\t1\ttransfers.by_body.县自然资源局" in result.output
    assert lines[-1].endswith("\t12.5")


def test_the_command_adds_linked_rounds_and_rounds_of_a_year(runner, two_teams):
    received(two_teams)
    child = make_round([TeamPlan("县组", ["县单位"])], name="县级巡察", parent_id=two_teams.id)
    revisit = make_round([TeamPlan("回头看组", ["乡单位"])], name="回头看", parent_id=child.id, is_revisit=True,
                         starts_on=date(2031, 3, 1), ends_on=date(2031, 5, 1))
    for round_, count in ((child, 2), (revisit, 3)):
        for _ in range(count):
            received(round_)
    assert figures_json(runner, two_teams.id)["received"]["total"] == 1
    assert figures_json(runner, two_teams.id, "--with-linked")["received"]["total"] == 6
    assert figures_json(runner, child.id, "--linked")["received"]["total"] == 5
    assert figures_json(runner, "--year", 2031)["received"]["total"] == 3
    assert figures_json(runner, two_teams.id, "--year", 2031)["received"]["total"] == 4


def test_the_command_refuses_an_unknown_round_and_an_empty_scope(runner, two_teams):
    missing = runner.invoke(args=["rounds", "figures", str(two_teams.id + 100)])
    assert missing.exit_code != 0 and f"no such round: {two_teams.id + 100}" in missing.output
    empty = runner.invoke(args=["rounds", "figures", "--year", "2099"])
    assert empty.exit_code != 0 and "round" in empty.output


def test_the_commands_help_says_it_counts_every_report(runner):
    help_text = runner.invoke(args=["rounds", "figures", "--help"]).output
    assert "every report" in help_text and "--with-linked" in help_text and "--year" in help_text


def statements_of_figures(round_) -> int:
    """The statements `figures_of` sends for a round already loaded."""
    db.session.refresh(round_)
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        figures_of(None, [round_], date.today())
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def test_figures_take_three_queries_whatever_the_number_of_reports(triaged):
    before = statements_of_figures(triaged.round)
    for _ in range(5):
        received(triaged.round)
    assert statements_of_figures(triaged.round) == before == 3
