"""Parsing the queue's query string: what makes sense is kept, anything else is dropped, nothing raises."""
from werkzeug.datastructures import MultiDict

from reporting.queue.ledger import defused
from reporting.queue.services import QueueFilters, Total, like_pattern, matching_total
from tests.queue.conftest import file_report, set_status


def test_every_filter_is_read_from_its_query_string_name():
    args = MultiDict({"status": "clue", "round": "3", "team": "4", "unit": "5", "category": "工程建设",
                      "channel": "letter", "q": " 低保 "})
    assert QueueFilters.from_args(args) == QueueFilters(
        status="clue", round_id=3, team_id=4, unit_id=5, category="工程建设", channel="letter", q="低保")


def test_values_that_make_no_sense_are_dropped():
    args = MultiDict({"status": "deleted", "round": "x", "team": "-4", "unit": "0", "channel": "fax",
                      "q": "   ", "category": ""})
    assert QueueFilters.from_args(args) == QueueFilters()


def test_an_id_beyond_the_database_integer_is_dropped_not_sent():
    assert QueueFilters.from_args(MultiDict({"round": "9" * 30, "team": "2147483648"})) == QueueFilters()


def test_search_terms_are_bounded_and_stripped_of_control_characters():
    filters = QueueFilters.from_args(MultiDict({"q": "\x00低保\x07" + "长" * 500}))
    assert filters.q.startswith("低保")
    assert len(filters.q) == 100


def test_the_filters_in_force_become_query_string_arguments_again():
    filters = QueueFilters(status="filed", team_id=7, q="张某")
    assert filters.as_args() == {"status": "filed", "team": "7", "q": "张某"}
    assert QueueFilters.from_args(MultiDict(filters.as_args())) == filters


def test_percent_and_underscore_in_a_term_are_taken_literally():
    assert like_pattern("100%_/") == "%100/%/_//%"


def test_cells_a_spreadsheet_would_run_get_an_apostrophe():
    for dangerous in ("=1+1", "+86 139", "-2", "@SUM(A1)", "\t=1", "\r=1"):
        assert defused(dangerous) == "'" + dangerous
    for harmless in ("低保", "a=b", 42, None):
        assert defused(harmless) == harmless


def test_the_workload_filters_are_read_and_written_back(world):
    """`status=open`, `assignee=none|<id>|me` and `overdue=1`; an id is a leader's or admin's to ask, or one's own."""
    args = MultiDict({"status": "open", "assignee": str(world.member2.id), "overdue": "1", "team": "4"})
    filters = QueueFilters.from_args(args, world.leader1)
    assert filters == QueueFilters(status="open", team_id=4, assignee=str(world.member2.id),
                                   assignee_id=world.member2.id, overdue=True)
    assert QueueFilters.from_args(MultiDict(filters.as_args()), world.leader1) == filters
    assert QueueFilters.from_args(args, world.member_both).assignee_id is None  # another's id: dropped
    assert QueueFilters.from_args(MultiDict({"assignee": str(world.member2.id)}), world.member2).assignee_id == \
        world.member2.id
    nobody = QueueFilters.from_args(MultiDict({"assignee": "none"}))
    assert (nobody.assignee, nobody.assignee_id, nobody.as_args()) == ("none", None, {"assignee": "none"})
    mine = QueueFilters.from_args(MultiDict({"assignee": "me"}), world.member2)
    assert (mine.assignee_id, mine.as_args()) == (world.member2.id, {"assignee": "me"})
    for nonsense in ({"assignee": "x"}, {"assignee": "me"}, {"overdue": "yes"}, {"status": "opened"}):
        assert QueueFilters.from_args(MultiDict(nonsense)) == QueueFilters()  # `me` needs the user asking


def test_the_total_of_status_open_counts_every_open_status_and_no_other(world):
    reports = [file_report(world.current, world.unit("甲单位")) for _ in range(3)]
    set_status(reports[0], "filed")
    set_status(reports[1], "clue")
    assert matching_total(world.leader1, QueueFilters(status="open")) == Total(2)
