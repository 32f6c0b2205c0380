"""The per-status counts of each round and team (`ReportTally`), kept in step with the reports.

Every insert, status change and routing goes through `count` or `move`, in the same transaction,
as an upsert so that concurrent writers add up instead of overwriting each other, on a random one of
SHARDS rows so that they rarely wait for each other's commit.
"""
import random
from functools import cache

from sqlalchemy import Integer, bindparam

from reporting.database import current_dialect, upsert_insert
from reporting.extensions import db
from reporting.models import Report, ReportTally

SHARDS = 16


def team_key(team_id: int | None) -> int:
    return team_id or 0


@cache
def adding(dialect: str):
    """The upsert, built once per dialect with its values bound at execution: building it anew (and working out its
    cache key) for every report cost more than running it."""
    delta = bindparam("delta", type_=Integer)
    statement = upsert_insert(ReportTally, dialect).values(
        {name: bindparam(name) for name in ("round_id", "team_key", "status", "shard")} | {"count": delta})
    return statement.on_conflict_do_update(index_elements=["round_id", "team_key", "status", "shard"],
                                           set_={"count": ReportTally.count + delta})


def count(round_id: int, team_id: int | None, status: str, delta: int, shard: int | None = None) -> None:
    db.session.execute(adding(current_dialect()), {
        "round_id": round_id, "team_key": team_key(team_id), "status": status,
        "shard": random.randrange(SHARDS) if shard is None else shard, "delta": delta})


def move(report: Report, team_id_before: int | None, status_before: str) -> None:
    """After a report changed team or status: one less where it was, one more where it is."""
    if (team_id_before, status_before) == (report.team_id, report.status):
        return
    changes = [(team_key(team_id_before), status_before, random.randrange(SHARDS), -1),
               (team_key(report.team_id), report.status, random.randrange(SHARDS), +1)]
    # Rows in a fixed order: two opposite moves at once (propose vs return) would otherwise deadlock.
    for key, status, shard, delta in sorted(changes):
        count(report.round_id, key or None, status, delta, shard)
