"""Figures as offices publish them (SPEC "Follow-through"), for a scope of rounds and the reports a user may see.

The numbers come from three grouped queries whatever the number of reports (reports by channel, status and
body; outcomes; satisfaction ratings); pure functions below decide the scope and what counts where, so that
`rounds figures`, `/staff/stats` and its spreadsheet can never disagree.
"""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import Select, case, func, select

from reporting.access import visible_reports
from reporting.extensions import db
from reporting.followup.bodies import OTHER
from reporting.followup.services import overdue
from reporting.models import CHANNELS, RATINGS, Outcome, Report, Round, Satisfaction, StaffUser
from reporting.rounds.lineage import RoundLink, linked_ids, round_links

OUTCOME_COUNTS = ("cases", "detained", "disciplined", "organisational", "admonished", "money_yuan")
UNDECIDED = ("received", "in_review", "proposed")  # proposed: a member's clue or transfer waiting for a leader


@dataclass(frozen=True)
class Scope:
    """What a user asked for: chosen rounds, and/or every round starting in a year, optionally with the rounds
    linked to them (the rounds naming one of them as parent, at any depth)."""

    round_ids: frozenset[int] = frozenset()
    year: int | None = None
    linked: bool = False


def scope_ids(scope: Scope, links: list[RoundLink], allowed: set[int] | None) -> set[int]:
    """The ids of the rounds a scope covers, among `allowed` (None: every round)."""
    chosen = set(scope.round_ids)
    if scope.year is not None:
        chosen |= {link.id for link in links if link.starts_on.year == scope.year}
    known = {link.id for link in links}
    ids = (linked_ids(chosen, links) if scope.linked else chosen) & known
    return ids if allowed is None else ids & allowed


class ReportGroup(NamedTuple):
    """One row of the grouped count of reports: reports of one channel, status and transfer body."""

    channel: str
    status: str
    body: str
    body_name: str
    reports: int
    clues: int
    transfers: int
    answered: int
    overdue: int


def body_key(body: str, name: str) -> str:
    """The key of a transfer's body among `by_body`: the round's listed body, or 其他's own name."""
    return (name or OTHER) if body == OTHER else body


def fold(groups: Iterable[ReportGroup], bodies: list[str]) -> dict[str, Any]:
    """The report figures of the spec from grouped counts. Every report counts in `received` (duplicates too);
    a merged duplicate counts in `duplicates` and in no other decision; a clue later transferred counts once
    in `clues` and once in `transfers`."""
    received = dict.fromkeys(CHANNELS, 0)
    by_body = dict.fromkeys(bodies, 0)
    counts = dict.fromkeys(("clues", "transfers", "transfers_answered", "transfers_overdue", "filed",
                            "out_of_scope", "duplicates", "undecided"), 0)
    for group in groups:
        received[group.channel] = received.get(group.channel, 0) + group.reports
        if group.status == "duplicate":
            counts["duplicates"] += group.reports
            continue
        counts["clues"] += group.clues
        counts["transfers"] += group.transfers
        counts["transfers_answered"] += group.answered
        counts["transfers_overdue"] += group.overdue
        counts["filed"] += group.reports if group.status == "filed" else 0
        counts["out_of_scope"] += group.reports if group.status == "out_of_scope" else 0
        counts["undecided"] += group.reports if group.status in UNDECIDED else 0
        if group.transfers:
            key = body_key(group.body, group.body_name)
            by_body[key] = by_body.get(key, 0) + group.transfers
    return {
        "received": {"total": sum(received.values()), **received},
        "clues": counts["clues"],
        "transfers": {"total": counts["transfers"], "by_body": by_body},
        **{name: counts[name] for name in ("transfers_answered", "transfers_overdue")},
        "concluded": 0,  # from the outcomes, see `figures_of`
        **{name: counts[name] for name in ("filed", "out_of_scope", "duplicates", "undecided")},
    }


def flatten(figures: dict[str, Any], prefix: str = "") -> list[tuple[str, int]]:
    """The figures as (dotted key, number) rows, in the spec's order: what the spreadsheet lists."""
    rows: list[tuple[str, int]] = []
    for key, value in figures.items():
        name = f"{prefix}{key}"
        rows += flatten(value, f"{name}.") if isinstance(value, dict) else [(name, value)]
    return rows


# Queries --------------------------------------------------------------------------------------------

def scope_rounds(scope: Scope, allowed: set[int] | None = None) -> list[Round]:
    """The rounds of a scope among `allowed` (None: all, for the command), oldest first."""
    ids = scope_ids(scope, round_links(), allowed)
    return list(db.session.scalars(select(Round).where(Round.id.in_(ids)).order_by(Round.starts_on, Round.id)))


def scoped_reports(user: StaffUser | None, rounds: list[Round]) -> Select:
    """The reports of these rounds that `user` may see (None: every one, for the command)."""
    query = select(Report) if user is None else visible_reports(user)
    return query.where(Report.round_id.in_([round_.id for round_ in rounds]))


def report_groups(reports: Select, today: date) -> list[ReportGroup]:
    columns = (Report.channel, Report.status, Report.transfer_body, Report.transfer_body_name)
    query = reports.with_only_columns(
        *columns, func.count(), func.count(Report.clue_number), func.count(Report.transferred_on),
        func.count(Report.transfer_answered_on),
        func.count(case((overdue(today), Report.id))),
    ).group_by(*columns)
    return [ReportGroup(*row) for row in db.session.execute(query)]


def outcome_sums(reports: Select) -> tuple[int, dict[str, int]]:
    """(decisions concluded, sums of what the bodies did) over the outcomes of these reports."""
    query = select(func.count(Outcome.concluded_on),
                   *(func.coalesce(func.sum(getattr(Outcome, name)), 0) for name in OUTCOME_COUNTS)
                   ).where(Outcome.report_id.in_(reports.with_only_columns(Report.id)))
    concluded, *sums = db.session.execute(query).one()
    return concluded, {name: int(value) for name, value in zip(OUTCOME_COUNTS, sums, strict=True)}


def ratings(reports: Select) -> dict[str, int]:
    query = select(Satisfaction.rating, func.count()).where(
        Satisfaction.report_id.in_(reports.with_only_columns(Report.id))).group_by(Satisfaction.rating)
    return dict.fromkeys(RATINGS, 0) | {rating: count for rating, count in db.session.execute(query)}


def figures_of(user: StaffUser | None, rounds: list[Round], today: date) -> dict[str, Any]:
    """The spec's figures for these rounds, over what `user` may see (None: every report); `today` decides
    which unanswered transfers are overdue, by the rule of the 督办 list."""
    reports = scoped_reports(user, rounds)
    bodies = list(dict.fromkeys(body for round_ in rounds for body in round_.receiving_bodies))
    figures = fold(report_groups(reports, today), bodies)
    figures["concluded"], outcomes = outcome_sums(reports)
    return figures | {"outcomes": outcomes, "satisfaction": ratings(reports)}
