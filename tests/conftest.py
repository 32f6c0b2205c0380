"""Fixtures: one migrated database per backend per session, and a rolled-back transaction per test; and the
fixtures more than one package of tests uses (a two-team round, its staff, a form poster carrying the CSRF token).

The suite runs on SQLite always, and on PostgreSQL too where TEST_DATABASE_URL is set; each
database test runs once per backend.
"""
import base64
import contextvars
import os

import flask_migrate
import pytest
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event

from reporting import create_app
from reporting.extensions import db
from reporting.rounds.services import TeamPlan
from reporting.security import configure_password_hashing
from tests.browser import DESK, PHONE, chromium, opened_page, require_chromium
from tests.databases import create_database_beside, drop_database
from tests.factories import csrf_from, make_round, make_staff

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")
TEST_SECRET_KEY = "test-secret-key"
TEST_DATA_KEY = base64.b64encode(bytes(range(32))).decode()

# Keep the suite from writing secrets into the project's instance folder.
os.environ.setdefault("REPORTING_SECRET_KEY", TEST_SECRET_KEY)
os.environ.setdefault("REPORTING_DATA_KEY", TEST_DATA_KEY)
configure_password_hashing(time_cost=1, memory_cost=1024)


def app_config(url: str, tmp_path) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": TEST_SECRET_KEY,
        "BASE_URL": "http://reporting.test",
        "UPLOAD_DIR": tmp_path / "uploads",
        "CAPTCHA": False,
        "RATELIMIT_STORAGE_URI": "memory://",
    }


def migrate(url: str, tmp_path) -> None:
    app = create_app(app_config(url, tmp_path))
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()


def app_on_own_file(tmp_path_factory, name: str, **config):
    """An app on a migrated SQLite file of its own, for a server in a thread: the rolled-back `app` fixture
    cannot serve another thread. `config` overrides the test configuration (a browser test: TESTING=False)."""
    tmp_path = tmp_path_factory.mktemp(name)
    url = f"sqlite:///{tmp_path / f'{name}.sqlite'}"
    migrate(url, tmp_path)
    return create_app(app_config(url, tmp_path) | config)


@pytest.fixture(scope="session")
def empty_database(tmp_path_factory):
    """A factory of empty databases of one backend, removed at the end of the session."""
    created = []

    def make(backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        if not TEST_DATABASE_URL:
            pytest.skip("TEST_DATABASE_URL is not set: no PostgreSQL to test against")
        url = create_database_beside(TEST_DATABASE_URL, "reporting_test")
        created.append(url)
        return url

    yield make
    for url in created:
        drop_database(TEST_DATABASE_URL, url)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request):
    return request.param


@pytest.fixture(scope="session")
def migrated_url(backend, empty_database, tmp_path_factory):
    url = empty_database(backend)
    migrate(url, tmp_path_factory.mktemp("migrate"))
    return url


class ConnectionBoundSession(FlaskSession):
    """Flask-SQLAlchemy's session picks engines itself; in tests every query must use the test's connection."""

    def get_bind(self, *args, **kwargs):
        return self.bind


def use_savepoints_on_pysqlite(engine) -> None:
    """pysqlite's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN itself."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN")


class IsolatedClient(FlaskClient):
    """Runs each request in a fresh context, as production does, although the test holds an app context.

    Otherwise Flask reuses the test's app context, and `g`, caches and the session leak between requests.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


def pytest_configure(config):
    config.addinivalue_line("markers", "app_config(**settings): settings for this test's app")


@pytest.fixture
def app(request, migrated_url, tmp_path):
    """The app on the migrated database; whatever a test commits is rolled back after it."""
    marker = request.node.get_closest_marker("app_config")
    app = create_app(app_config(migrated_url, tmp_path) | (marker.kwargs if marker else {}))
    app.test_client_class = IsolatedClient
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            use_savepoints_on_pysqlite(db.engine)
        connection = db.engine.connect()
        transaction = connection.begin()
        original_session = db.session
        db.session = db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": ConnectionBoundSession}
        )
        try:
            yield app
        finally:
            db.session.remove()
            db.session = original_session
            transaction.rollback()
            connection.close()
            db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def two_teams(app):
    return make_round(teams=[TeamPlan("第一组", ["甲单位", "乙单位"]), TeamPlan("第二组", ["丙单位", "丁单位"])])


@pytest.fixture
def staff(two_teams):
    """admin; leader1 and member1 of team 1; member2 of team 2 (tests/triage has a `staff` of its own)."""
    team1, team2 = two_teams.teams
    return {
        "admin": make_staff("admin", username="admin"),
        "leader1": make_staff("leader", [team1], username="leader1"),
        "member1": make_staff("member", [team1], username="member1"),
        "member2": make_staff("member", [team2], username="member2"),
    }


@pytest.fixture
def post_form(client):
    """POST `data` to `path` with a CSRF token from `token_page`, as the browser would."""

    def post(path: str, data: dict | None = None, token_page: str = "/staff/login", **kwargs):
        return client.post(path, data={"csrf_token": csrf_from(client, token_page)} | (data or {}), **kwargs)

    return post


@pytest.fixture(scope="session")
def browser():
    """One Debian Chromium for every browser test of the run (never a downloaded browser); skips without it."""
    with chromium(require_chromium()) as browser:
        yield browser


@pytest.fixture
def phone(browser):
    """A fresh page on a resident's 360 px phone."""
    with opened_page(browser, PHONE) as page:
        yield page


@pytest.fixture
def page(browser):
    """A fresh page on a 1366 px desk, logged in as no one."""
    with opened_page(browser, DESK) as page:
        yield page
