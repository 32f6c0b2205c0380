"""What depends on the database backend: engine settings, upserts, and ids from requests."""
import logging
import os
from datetime import date

from sqlalchemy import Engine, event
from sqlalchemy.dialects import postgresql, sqlite
from werkzeug.routing import IntegerConverter

from reporting.extensions import db

MAX_ID = 2**31 - 1  # an id past PostgreSQL's integer would be a database error, not a 404 or an empty page
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def upsert_insert(model, dialect: str | None = None):
    """An INSERT that takes ON CONFLICT clauses, in `dialect` or the current backend's (both speak it alike)."""
    return _INSERTS[dialect or current_dialect()](model)


def current_dialect() -> str:
    return db.session.get_bind().dialect.name


def tune_sqlite(engine: Engine) -> None:
    """Foreign keys on, WAL so readers do not block the writer, and a wait instead of 'database is locked'."""

    @event.listens_for(engine, "connect")
    def on_connect(connection, _record):
        cursor = connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def keep_sqlite_private(engine: Engine) -> None:
    """The SQLite file holds reports and identities: owner-only (0600), like the keys. SQLite gives the -wal
    and -shm files it creates the database file's own mode, so making the file first covers them too."""
    path = engine.url.database
    if not path or path == ":memory:" or path.startswith("file:") or not os.path.isdir(os.path.dirname(path) or "."):
        return  # no folder: connecting fails as it would have, and /healthz says so
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    for suffix in ("", "-wal", "-shm"):
        try:
            if os.path.exists(path + suffix):
                os.chmod(path + suffix, 0o600)
        except OSError as error:  # another user's file (a shared group): say so, and still start
            logging.getLogger(__name__).warning("cannot make %s owner-only: %s", path + suffix, error)


def positive_id(value: str | None) -> int | None:
    """An id from a query string, or None for anything that is not one (a bad link is not a 500)."""
    value = (value or "").strip()
    if not value.isdecimal():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def given_day(value: str | None) -> date | None:
    """A date (yyyy-mm-dd) from a query string, or None for anything else."""
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


class IdConverter(IntegerConverter):
    """`<int:...>` in routes, bounded to the database's integer: a larger id is a 404, not an overflow."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, *args, **{"max": MAX_ID} | kwargs)
