"""Engine settings that depend on the backend."""
from sqlalchemy import Engine, event


def tune_sqlite(engine: Engine) -> None:
    """Foreign keys on, WAL so readers do not block the writer, and a wait instead of 'database is locked'."""

    @event.listens_for(engine, "connect")
    def on_connect(connection, _record):
        cursor = connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()
