"""Outcomes of clues and transfers, as rules: which a report has, what recording one does to its status, and
money as offices write it (万元). Pure functions; `reporting.followup.services` applies them."""
from decimal import Decimal

KINDS = ("clue", "transfer")
COUNTS = ("cases", "persons", "detained", "disciplined", "organisational", "admonished")
# The status a report has while the decision an outcome belongs to is in force.
IN_FORCE = {"clue": "clue", "transfer": "transferred"}
YUAN_PER_WAN = 10_000


class OutcomeRefused(ValueError):
    """The report has no such decision to record an outcome against."""


def kinds_of(clue_number: str | None, transferred_on) -> list[str]:
    """The decisions a report has had, each of which may get an outcome: a clue later transferred has two."""
    return [kind for kind, had in (("clue", bool(clue_number)), ("transfer", transferred_on is not None)) if had]


def status_after(status: str, kind: str, concluded: bool) -> str:
    """A concluded outcome of the decision in force concludes the report (public status "concluded"); an outcome
    of an earlier decision (the clue of a report since transferred), or one not yet concluded, changes nothing."""
    return "concluded" if concluded and status == IN_FORCE[kind] else status


def wan(yuan: int) -> str:
    """Whole yuan as 万元, exactly: 125000 -> "12.5", 0 -> "0"."""
    text = format(Decimal(yuan) / YUAN_PER_WAN, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def yuan_of_wan(amount: Decimal) -> int:
    """万元 typed with at most four decimals (one yuan) as whole yuan; ValueError for a fraction of a yuan."""
    yuan = amount * YUAN_PER_WAN
    if yuan != yuan.to_integral_value():
        raise ValueError(amount)
    return int(yuan)
