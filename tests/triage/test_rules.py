"""The triage state machine, without a database: every role x status x action, and the fields."""
from datetime import date
from itertools import product

import pytest

from reporting.access import ROLES, NotAllowed
from reporting.models import REPORT_STATUSES
from reporting.triage.rules import (
    ACTIONS,
    PUBLIC_STATUS,
    InvalidFields,
    InvalidTransition,
    allowed_actions,
    clean_fields,
    next_status,
    public_status,
    submitted,
)

EVERYONE = ("admin", "leader", "member")
DECIDERS = ("admin", "leader")
OPEN = ("received", "in_review", "proposed", "clue", "transferred")
TERMINAL = ("concluded", "filed", "out_of_scope", "duplicate")
UNCHANGED = object()
# Every proposal in the table is a member's clue on a report that was in review.
PROPOSAL = {"action": "clue", "fields": {}, "by": 1, "status_before": "in_review"}

# The spec's table, stated once more on its own: action, from, who, status after. Nothing else is allowed.
ALLOWED = [
    ("review", ("received", "in_review"), EVERYONE, "in_review"),
    ("clue", ("received", "in_review"), DECIDERS, "clue"),
    ("clue", ("received", "in_review"), ("member",), "proposed"),
    ("transfer", ("received", "in_review", "clue"), DECIDERS, "transferred"),
    ("transfer", ("received", "in_review", "clue"), ("member",), "proposed"),
    ("answer", ("transferred",), EVERYONE, UNCHANGED),
    ("file", ("received", "in_review", "clue", "transferred"), EVERYONE, "filed"),
    ("out_of_scope", ("received", "in_review"), EVERYONE, "out_of_scope"),
    ("duplicate", ("received", "in_review"), EVERYONE, "duplicate"),
    ("approve", ("proposed",), DECIDERS, "clue"),
    ("return", ("proposed",), DECIDERS, "in_review"),
    ("assign", OPEN, DECIDERS, UNCHANGED),
    ("route", OPEN, ("admin",), UNCHANGED),  # and only while the report has no team
]


def expected_table() -> dict[tuple[str, str, str, bool], str]:
    table = {}
    for action, sources, roles, after in ALLOWED:
        for status, role, routed in product(sources, roles, (False, True)):
            if action == "route" and routed:
                continue
            table[action, role, status, routed] = status if after is UNCHANGED else after
    return table


EXPECTED = expected_table()
CASES = list(product(ACTIONS, ROLES, REPORT_STATUSES, (False, True)))


def test_the_table_speaks_of_every_action_and_status():
    assert {action for action, *_ in ALLOWED} == set(ACTIONS)
    assert set(OPEN + TERMINAL) == set(REPORT_STATUSES) == set(PUBLIC_STATUS)


@pytest.mark.parametrize("action, role, status, routed", CASES)
def test_next_status(action, role, status, routed):
    """Allowed: the status after. Refused: NotAllowed if another role could, InvalidTransition if no one can."""
    key = (action, role, status, routed)
    if key in EXPECTED:
        assert next_status(action, role, status, routed=routed, proposal=PROPOSAL) == EXPECTED[key]
    else:
        someone_could = any((action, other, status, routed) in EXPECTED for other in ROLES)
        with pytest.raises(NotAllowed if someone_could else InvalidTransition):
            next_status(action, role, status, routed=routed, proposal=PROPOSAL)


@pytest.mark.parametrize("role, status, routed", list(product(ROLES, REPORT_STATUSES, (False, True))))
def test_allowed_actions_offers_exactly_what_next_status_accepts(role, status, routed):
    assert allowed_actions(role, status, routed) == [
        action for action in ACTIONS if (action, role, status, routed) in EXPECTED
    ]


@pytest.mark.parametrize("status", TERMINAL)
def test_terminal_statuses_refuse_everything_to_everyone(status):
    for role, routed in product(ROLES, (False, True)):
        assert allowed_actions(role, status, routed) == []
        for action in ACTIONS:
            with pytest.raises(InvalidTransition):
                next_status(action, role, status, routed=routed, proposal=PROPOSAL)


@pytest.mark.parametrize("action", ["clue", "transfer"])
def test_a_members_clue_or_transfer_is_a_proposal(action):
    assert next_status(action, "member", "received") == "proposed"
    assert next_status(action, "leader", "received") == next_status(action, "admin", "received") != "proposed"


def test_approving_gives_the_proposed_outcome_and_returning_the_status_before():
    transfer_from_clue = {"action": "transfer", "fields": {}, "by": 1, "status_before": "clue"}
    assert next_status("approve", "leader", "proposed", proposal=transfer_from_clue) == "transferred"
    assert next_status("return", "admin", "proposed", proposal=transfer_from_clue) == "clue"
    with pytest.raises(ValueError):
        next_status("approve", "leader", "proposed")


def test_route_is_refused_unless_the_caller_says_the_report_has_no_team():
    with pytest.raises(InvalidTransition):
        next_status("route", "admin", "received")
    assert next_status("route", "admin", "received", routed=False) == "received"


def test_an_unknown_action_is_not_possible_and_an_unknown_role_may_do_nothing():
    with pytest.raises(InvalidTransition):
        next_status("promote", "admin", "received", routed=False)
    with pytest.raises(NotAllowed):
        next_status("review", "guest", "received")
    assert allowed_actions("guest", "received", False) == []


def test_the_public_sees_six_statuses_and_never_a_proposal():
    assert public_status("proposed") == public_status("clue") == public_status("in_review") == "in_progress"
    assert {public_status(status) for status in REPORT_STATUSES} == {
        "received", "in_progress", "transferred", "concluded", "out_of_scope", "merged"}


# Fields -------------------------------------------------------------------------------------------------

def errors_of(action: str, **fields: str) -> dict:
    with pytest.raises(InvalidFields) as refused:
        clean_fields(action, fields)
    return refused.value.errors


@pytest.mark.parametrize("action, required", [
    ("clue", {"summary", "disposal"}),
    ("transfer", {"body", "transferred_on"}),
    ("answer", {"answer", "answered_on"}),
    ("file", {"reason"}),
    ("out_of_scope", {"reason", "advice"}),
    ("duplicate", {"original_id"}),
    ("assign", {"assignee"}),
    ("route", {"team_id"}),
])
def test_required_fields_are_named_when_missing_or_blank(action, required):
    assert set(errors_of(action)) == required
    assert set(errors_of(action, **{name: " \t\n" for name in required})) == required


@pytest.mark.parametrize("action", ["review", "approve"])
def test_a_note_is_optional(action):
    assert clean_fields(action, {}) == {"note": ""}
    assert clean_fields(action, {"note": "  已阅，请核实。 "}) == {"note": "已阅，请核实。"}


def test_returning_a_proposal_needs_its_reason():
    with pytest.raises(InvalidFields) as refused:
        clean_fields("return", {"note": "   "})
    assert set(refused.value.errors) == {"note"}
    assert clean_fields("return", {"note": " 证据不足 "}) == {"note": "证据不足"}


def test_text_is_stripped_of_spaces_and_stray_controls_and_other_fields_are_dropped():
    fields = {"summary": "  反映某村书记\x00侵占集体资金\r\n ", "disposal": " 初步核实 ", "csrf_token": "x"}
    assert submitted("clue", fields) == {"summary": "反映某村书记侵占集体资金", "disposal": "初步核实"}
    assert clean_fields("clue", fields) == {"summary": "反映某村书记侵占集体资金", "disposal": "初步核实"}


def test_a_disposal_may_be_other_text_within_the_columns_length():
    assert clean_fields("clue", {"summary": "s", "disposal": "转纪检组"})["disposal"] == "转纪检组"
    assert set(errors_of("clue", summary="s", disposal="处" * 41)) == {"disposal"}


def test_a_transfer_takes_iso_dates_and_an_optional_due_date_not_before_the_transfer():
    values = clean_fields("transfer", {"body": "县纪委监委", "transferred_on": "2026-03-02", "due_on": ""})
    assert values == {"body": "县纪委监委", "body_name": "", "reference": "", "transferred_on": date(2026, 3, 2),
                      "due_on": None}
    assert set(errors_of("transfer", body="信访部门", transferred_on="2026-03-02", due_on="2026-03-01")) == {"due_on"}
    assert clean_fields("transfer", {"body": "b", "transferred_on": "2026-03-02", "due_on": "2026-03-02"})["due_on"]


@pytest.mark.parametrize("typed", ["2026/03/02", "20260302", "2026-W10-1", "2026-02-30", "02-03-2026", "２０２６-03-02",
                                   "2026-3-2", "today"])
def test_a_date_that_is_not_yyyy_mm_dd_is_refused_with_a_message(typed):
    errors = errors_of("answer", answer="已查实并处理。", answered_on=typed)
    assert set(errors) == {"answered_on"}
    assert str(errors["answered_on"]) == "Enter a date as yyyy-mm-dd."


@pytest.mark.parametrize("typed", ["abc", "-1", "1.5", "12345678901", "１２"])
def test_an_id_must_be_a_plain_number(typed):
    assert set(errors_of("duplicate", original_id=typed)) == {"original_id"}


def test_every_wrong_field_is_named_at_once():
    assert set(errors_of("transfer", body="机" * 201, reference="号" * 101, transferred_on="x")) == {
        "body", "reference", "transferred_on"}
