"""What depends on the database backend: engine settings and upserts."""
from sqlalchemy import Engine, event
from sqlalchemy.dialects import postgresql, sqlite

from reporting.extensions import db

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def upsert_insert(model):
    """An INSERT that takes ON CONFLICT clauses, in the current backend's dialect (both speak it alike)."""
    return _INSERTS[db.session.get_bind().dialect.name](model)


def tune_sqlite(engine: Engine) -> None:
    """Foreign keys on, WAL so readers do not block the writer, and a wait instead of 'database is locked'."""

    @event.listens_for(engine, "connect")
    def on_connect(connection, _record):
        cursor = connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()
