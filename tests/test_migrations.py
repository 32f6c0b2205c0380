"""The migrations build exactly the models' schema, and come down again, on every backend."""
import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

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
