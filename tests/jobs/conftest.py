"""Apps whose jobs really run: a thread's (or a worker's) own connection cannot see a test's uncommitted
savepoint, so these apps use a migrated database of their own, committed to as the site would."""
import re
import time

import pytest

from reporting import create_app
from reporting.extensions import db
from tests.conftest import IsolatedClient, app_config, migrate

STATE = re.compile(r'id="job-state" data-status="(\w+)"')
JOB_PATH = re.compile(r"/staff/jobs/(\d+)$")


@pytest.fixture(scope="module")
def sqlite_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("jobs")
    url = f"sqlite:///{folder / 'jobs.sqlite'}"
    migrate(url, folder)
    return url


@pytest.fixture
def live_app(request, sqlite_url, tmp_path):
    """The site on a SQLite file, without Redis (unless the test's `app_config` gives one): its jobs run in
    threads of their own."""
    marker = request.node.get_closest_marker("app_config")
    app = create_app(app_config(sqlite_url, tmp_path) | {"REDIS_URL": None} | (marker.kwargs if marker else {}))
    app.test_client_class = IsolatedClient
    app.logger.disabled = False  # Alembic's fileConfig (migrate, above) turns off loggers that existed before it
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def state(page: str) -> str:
    return STATE.search(page).group(1)


def job_id_of(response) -> int:
    """The job a redirect leads to."""
    assert response.status_code == 302, response.status_code
    return int(JOB_PATH.search(response.headers["Location"]).group(1))


def wait_for_end(client, job_id: int, seconds: float = 60) -> str:
    """The job's page once it says done or failed, reloaded as the browser would while it waits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = client.get(f"/staff/jobs/{job_id}").get_data(as_text=True)
        if state(page) in ("done", "failed"):
            return page
        assert '<meta http-equiv="refresh" content="3">' in page
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not end within {seconds} s")
