"""The follow-through's pure rules: receiving bodies, the rank table, outcomes and money."""
from datetime import date
from decimal import Decimal

import pytest

from reporting.followup.bodies import (
    DEFAULT_BODIES,
    DEFAULT_RANK_BODIES,
    RANKS,
    BodyRefused,
    body_label,
    choices,
    parse_rank_table,
    rank_table_text,
    receiving_body,
    suggested_body,
)
from reporting.followup.outcomes import kinds_of, status_after, wan, yuan_of_wan

BODIES = list(DEFAULT_BODIES)


def test_the_defaults_are_the_specs_list_and_every_rank_suggests_one_of_them():
    assert BODIES == ["纪检监察机关", "组织部门", "宣传部门", "信访部门", "政法机关"]
    assert choices(BODIES)[-1] == "其他"
    assert set(DEFAULT_RANK_BODIES) == set(RANKS) and set(DEFAULT_RANK_BODIES.values()) <= set(BODIES)


def test_a_transfer_names_a_listed_body_or_other_with_a_name():
    assert receiving_body(BODIES, "组织部门", "") == ("组织部门", "")
    assert receiving_body(BODIES, "其他", "县自然资源局") == ("其他", "县自然资源局")
    with pytest.raises(BodyRefused) as refused:
        receiving_body(BODIES, "县纪委监委", "")
    assert refused.value.field == "body"
    with pytest.raises(BodyRefused) as refused:
        receiving_body(BODIES, "其他", "")
    assert refused.value.field == "body_name"


def test_the_rank_suggests_a_body_only_while_the_round_still_lists_it():
    assert suggested_body(BODIES, DEFAULT_RANK_BODIES, "县处级") == "组织部门"
    assert suggested_body(BODIES, DEFAULT_RANK_BODIES, "") == ""
    assert suggested_body(["纪检监察机关"], DEFAULT_RANK_BODIES, "县处级") == ""


def test_the_rank_table_reads_back_what_it_writes_and_names_a_wrong_line():
    assert parse_rank_table(rank_table_text(DEFAULT_RANK_BODIES), BODIES) == DEFAULT_RANK_BODIES
    assert parse_rank_table(" 乡科级 ＝ 宣传部门 \n\n", BODIES) == {"乡科级": "宣传部门"}
    for wrong in ("处级=组织部门", "乡科级=县委", "乡科级"):
        with pytest.raises(ValueError, match=wrong):
            parse_rank_table(wrong, BODIES)


def test_a_body_reads_with_its_own_name():
    assert body_label("纪检监察机关", "") == "纪检监察机关"
    assert body_label("纪检监察机关", "县纪委监委") == "县纪委监委（纪检监察机关）"
    assert body_label("其他", "县自然资源局") == "县自然资源局"


def test_outcomes_follow_the_decisions_a_report_has_had():
    assert kinds_of(None, None) == []
    assert kinds_of("2026-0001", None) == ["clue"]
    assert kinds_of("2026-0001", date(2026, 3, 1)) == ["clue", "transfer"]


@pytest.mark.parametrize(("status", "kind", "concluded", "after"), [
    ("transferred", "transfer", True, "concluded"),
    ("clue", "clue", True, "concluded"),
    ("transferred", "transfer", False, "transferred"),
    ("transferred", "clue", True, "transferred"),  # the clue of a report since transferred
    ("concluded", "transfer", True, "concluded"),  # corrected figures
])
def test_only_a_concluded_outcome_of_the_decision_in_force_concludes_the_report(status, kind, concluded, after):
    assert status_after(status, kind, concluded) == after


def test_money_is_whole_yuan_shown_in_wan():
    assert [wan(yuan) for yuan in (0, 1, 125_000, 10_000, 123_456_789)] == ["0", "0.0001", "12.5", "1", "12345.6789"]
    assert yuan_of_wan(Decimal("12.5")) == 125_000 and yuan_of_wan(Decimal("0.0001")) == 1
    with pytest.raises(ValueError):
        yuan_of_wan(Decimal("0.00001"))
