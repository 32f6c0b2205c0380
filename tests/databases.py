"""Scratch PostgreSQL databases, made and dropped by the test suite and the benchmarks (never by the app)."""
import uuid

from sqlalchemy import create_engine, make_url, text

from reporting.config import database_url


def create_database_beside(server_url: str, prefix: str) -> str:
    """A new, empty PostgreSQL database on `server_url`'s server, for tests and benchmarks; returns its URL."""
    server = make_url(database_url(server_url))
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, url: str) -> None:
    """Drop a database made by `create_database_beside`, even while something is still connected to it."""
    admin = create_engine(database_url(server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()
