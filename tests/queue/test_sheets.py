"""The ledger's rules: 处理方式 from a report's status and decisions, and the content's summary."""
from datetime import date

import pytest

from reporting.queue.sheets import ELLIPSIS, SUMMARY_LENGTH, handling, summary

ON = date(2026, 5, 1)


@pytest.mark.parametrize(("status", "clue_number", "transferred_on", "expected"), [
    ("received", None, None, None),
    ("in_review", None, None, None),
    ("proposed", None, None, None),  # a member's proposal is no decision yet
    ("proposed", "2026-0001", None, "clue"),  # a transfer proposed for a clue: the clue is still in force
    ("clue", "2026-0001", None, "clue"),
    ("transferred", None, ON, "transfer"),
    ("transferred", "2026-0001", ON, "clue_transfer"),
    ("concluded", "2026-0001", None, "clue"),
    ("concluded", None, ON, "transfer"),
    ("filed", "2026-0001", ON, "filed"),  # filing ends whatever came before
    ("out_of_scope", None, None, "out_of_scope"),
    ("duplicate", None, None, "duplicate"),
])
def test_the_way_a_report_was_handled(status, clue_number, transferred_on, expected):
    assert handling(status, clue_number, transferred_on) == expected


def test_a_summary_marks_a_cut_text():
    assert summary("短") == "短"
    assert summary("字" * SUMMARY_LENGTH) == "字" * SUMMARY_LENGTH
    assert summary("字" * (SUMMARY_LENGTH + 1)) == "字" * SUMMARY_LENGTH + ELLIPSIS
    assert summary(None) is None
