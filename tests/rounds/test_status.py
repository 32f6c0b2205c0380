"""The status in force: what an admin set, bounded by the dates in the round's own time zone."""
from datetime import date, datetime, timezone

import pytest

from reporting.models import Round


def round_of(status="open", timezone_name="Asia/Shanghai") -> Round:
    return Round(name="r", status=status, starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 31),
                 timezone=timezone_name)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(timezone.utc)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-02-28T23:59:59+08:00", "draft"),
        ("2026-03-01T00:00:00+08:00", "open"),
        ("2026-03-31T23:59:59+08:00", "open"),
        ("2026-04-01T00:00:00+08:00", "closed"),
        # 16:30 UTC on the 31st is already 1 April in Shanghai: the round has closed.
        ("2026-03-31T16:30:00+00:00", "closed"),
    ],
)
def test_an_open_round_follows_its_dates_in_its_zone(moment, expected):
    assert round_of().status_at(at(moment)) == expected


def test_the_zone_decides_the_last_day():
    assert round_of(timezone_name="Asia/Urumqi").status_at(at("2026-03-31T16:30:00+00:00")) == "open"


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_a_draft_or_closed_round_stays_so_within_its_dates(status):
    assert round_of(status).status_at(at("2026-03-15T12:00:00+08:00")) == status
