"""How figures read: a label for each key, and bar charts drawn on the server (inline SVG: no script, no style
attribute, which the CSP forbids)."""
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from reporting.followup.outcomes import wan
from reporting.labels import CHANNEL_LABELS, DETAIL_LABELS, RATING_LABELS
from reporting.models import CHANNELS, RATINGS

DECISIONS = ("clues", "transfers", "filed", "out_of_scope", "duplicates", "undecided")
LABELS = {
    "received.total": _l("Reports received (受理信访举报)"),
    **{f"received.{channel}": CHANNEL_LABELS[channel] for channel in CHANNELS},
    "clues": _l("Problem clues"),
    "transfers": _l("Transfers to receiving bodies"),
    "transfers.total": _l("Transfers to receiving bodies"),
    "transfers_answered": _l("Transfers answered"),
    "transfers_overdue": _l("Transfers overdue without an answer"),
    "concluded": _l("Clues and transfers concluded (办结)"),
    "filed": _l("Filed"),
    "out_of_scope": _l("Out of scope"),
    "duplicates": _l("Merged duplicates"),
    "undecided": _l("Not yet decided"),
    **{f"outcomes.{name}": DETAIL_LABELS[name]
       for name in ("cases", "detained", "disciplined", "organisational", "admonished")},
    "outcomes.money_yuan": _l("Money recovered (yuan)"),
    **{f"satisfaction.{rating}": RATING_LABELS[rating] for rating in RATINGS},
}
BODY_PREFIX = "transfers.by_body."
CHART_WIDTH = 240  # the longest bar, in the SVG's own units


def label(key: str) -> str:
    """A figure's label; a body's key is the body's own name."""
    return key.removeprefix(BODY_PREFIX) if key.startswith(BODY_PREFIX) else str(LABELS[key])


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    width: int  # in the SVG's units, proportional to the largest value of its chart
    y: int


def bars(rows: Iterable[tuple[Any, int]], height: int = 24) -> list[Bar]:
    """Bars of one chart: widths scaled to its largest value (a value above zero always shows a sliver)."""
    rows = list(rows)
    largest = max((value for _, value in rows), default=0)
    return [Bar(str(name), value, max(1, round(value * CHART_WIDTH / largest)) if value else 0, index * height)
            for index, (name, value) in enumerate(rows)]


def charts(figures: dict[str, Any]) -> dict[str, list[Bar]]:
    """The page's four charts: by channel, by body, decisions, satisfaction."""
    return {
        "channels": bars((CHANNEL_LABELS[channel], figures["received"][channel]) for channel in CHANNELS),
        "bodies": bars(figures["transfers"]["by_body"].items()),
        "decisions": bars((LABELS[name], figures[name] if name != "transfers" else figures[name]["total"])
                          for name in DECISIONS),
        "satisfaction": bars((RATING_LABELS[rating], figures["satisfaction"][rating]) for rating in RATINGS),
    }


def money_wan(figures: dict[str, Any]) -> str:
    return wan(figures["outcomes"]["money_yuan"])
