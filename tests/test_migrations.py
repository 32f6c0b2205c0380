"""The migrations build exactly the models' schema, and come down again, on every backend."""
import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from reporting import create_app
from reporting.extensions import db
from tests.conftest import app_config


def test_migrations_upgrade_and_downgrade_an_empty_database(backend, empty_database, tmp_path):
    app = create_app(app_config(empty_database(backend), tmp_path))
    with app.app_context():
        flask_migrate.upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        flask_migrate.downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        flask_migrate.upgrade()
        db.engine.dispose()


def test_migrated_schema_matches_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_reports_received_before_the_tallies_are_counted_by_the_migration(backend, empty_database, tmp_path):
    app = create_app(app_config(empty_database(backend), tmp_path))
    with app.app_context():
        flask_migrate.upgrade(revision="0001")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO round (id, name, level, starts_on, ends_on, timezone, intake_hours, phone, postal_box,"
                " email, notice, categories, status, created_at) VALUES (1, 'r', '', '2026-01-01', '2026-02-01',"
                " 'Asia/Shanghai', '', '', '', '', '', '[]', 'open', '2026-01-01 00:00:00')"))
            for status in ("received", "received", "filed"):
                connection.execute(text(
                    "INSERT INTO report (round_id, channel, category, subject_name, subject_unit, subject_position,"
                    " content, status, is_anonymous, received_on, created_at) VALUES (1, 'web', '', '', '', '',"
                    f" 'x', '{status}', true, '2026-01-02', '2026-01-02 00:00:00')"))
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(text("SELECT team_key, status, count FROM report_tally ORDER BY status"))
            assert [tuple(row) for row in rows] == [(0, "filed", 1), (0, "received", 2)]
        db.engine.dispose()
