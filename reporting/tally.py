"""The per-status counts of each round and team (`ReportTally`), kept in step with the reports.

Every insert, status change and routing goes through `count` or `move`, in the same transaction,
as an upsert so that concurrent writers add up instead of overwriting each other, on a random one of
SHARDS rows so that they rarely wait for each other's commit.
"""
import random

from reporting.database import upsert_insert
from reporting.extensions import db
from reporting.models import Report, ReportTally

SHARDS = 16


def team_key(team_id: int | None) -> int:
    return team_id or 0


def count(round_id: int, team_id: int | None, status: str, delta: int, shard: int | None = None) -> None:
    statement = upsert_insert(ReportTally).values(
        round_id=round_id, team_key=team_key(team_id), status=status,
        shard=random.randrange(SHARDS) if shard is None else shard, count=delta)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["round_id", "team_key", "status", "shard"], set_={"count": ReportTally.count + delta}
    ))


def move(report: Report, team_id_before: int | None, status_before: str) -> None:
    """After a report changed team or status: one less where it was, one more where it is."""
    if (team_id_before, status_before) == (report.team_id, report.status):
        return
    changes = [(team_key(team_id_before), status_before, random.randrange(SHARDS), -1),
               (team_key(report.team_id), report.status, random.randrange(SHARDS), +1)]
    # Rows in a fixed order: two opposite moves at once (propose vs return) would otherwise deadlock.
    for key, status, shard, delta in sorted(changes):
        count(report.round_id, key or None, status, delta, shard)
