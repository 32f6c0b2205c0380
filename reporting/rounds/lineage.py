"""Linked rounds: a round may name a parent (a province's round for a city or county round, or the round a 回头看
revisits). Pure rules over (id, parent, start) triples, read whole: rounds are a small table."""
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from sqlalchemy import select

from reporting.extensions import db
from reporting.models import Round


class RoundLink(NamedTuple):
    id: int
    parent_id: int | None
    starts_on: date


def linked_ids(chosen: Iterable[int], links: Iterable[RoundLink]) -> set[int]:
    """The chosen rounds and every round that names one of them as parent, at any depth."""
    children: dict[int, list[int]] = {}
    for link in links:
        if link.parent_id is not None:
            children.setdefault(link.parent_id, []).append(link.id)
    found: set[int] = set()
    waiting = list(chosen)
    while waiting:
        round_id = waiting.pop()
        if round_id not in found:
            found.add(round_id)
            waiting += children.get(round_id, [])
    return found


def would_cycle(round_id: int, parent_id: int | None, links: Iterable[RoundLink]) -> bool:
    """Whether naming `parent_id` as the parent of `round_id` would link a round to itself (directly or through
    the rounds linked below it)."""
    return parent_id is not None and parent_id in linked_ids([round_id], links)


def round_links() -> list[RoundLink]:
    return [RoundLink(*row) for row in db.session.execute(select(Round.id, Round.parent_id, Round.starts_on))]


def possible_parents(round_: Round | None) -> list[Round]:
    """The rounds `round_` may name as parent: any other round not linked below it, newest first."""
    links = round_links()
    rounds = db.session.scalars(select(Round).order_by(Round.starts_on.desc(), Round.id.desc()))
    return [other for other in rounds
            if round_ is None or (other.id != round_.id and not would_cycle(round_.id, other.id, links))]
