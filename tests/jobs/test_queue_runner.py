"""Jobs on Redis: the site puts them on an RQ queue, `jobs worker` (here in burst mode) runs them in a process
of its own, and any app instance on the same database serves the result."""
import csv
import io
import uuid

import pytest

from reporting import create_app
from reporting.extensions import db
from tests.conftest import TEST_DATABASE_URL, TEST_REDIS_URL, IsolatedClient, app_config, migrate
from tests.factories import log_in, make_round, make_staff
from tests.jobs.conftest import job_id_of, state
from tests.queue.conftest import file_report

CONTENTS = ["第一件反映", "第二件反映", "第三件反映"]


@pytest.fixture
def settings(empty_database, tmp_path):
    """A migrated PostgreSQL database and the environment every instance shares; a fresh secret keeps this
    run's queue apart from any other on the same Redis."""
    if not TEST_REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set: no Redis to queue jobs on")
    url = empty_database("postgresql")
    migrate(url, tmp_path)
    return app_config(url, tmp_path) | {"REDIS_URL": TEST_REDIS_URL, "SECRET_KEY": f"jobs-{uuid.uuid4()}",
                                        "EXPORT_JOB_ROWS": 2}


def instance(settings):
    app = create_app(settings)
    app.test_client_class = IsolatedClient
    return app


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="TEST_DATABASE_URL is not set")
def test_a_queued_export_is_run_by_the_worker_and_served_by_another_instance(settings):
    site = instance(settings)
    with site.app_context():
        round_ = make_round(name="队列导出巡察")
        for content in CONTENTS:
            file_report(round_, content=content)
        admin = make_staff("admin")
        client = site.test_client()
        log_in(client, admin)
        job_id = job_id_of(client.get(f"/staff/export.csv?round={round_.id}"))
        page = client.get(f"/staff/jobs/{job_id}").get_data(as_text=True)
        assert state(page) == "queued" and '<meta http-equiv="refresh" content="3">' in page
        db.session.remove()
        db.engine.dispose()

    worker = instance(settings)
    result = worker.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    with worker.app_context():
        db.engine.dispose()

    other_host = instance(settings)
    with other_host.app_context():
        reader = other_host.test_client()
        log_in(reader, admin)
        assert state(reader.get(f"/staff/jobs/{job_id}").get_data(as_text=True)) == "done"
        download = reader.get(f"/staff/jobs/{job_id}/download", buffered=True)
        assert download.status_code == 200 and download.mimetype == "text/csv"
        rows = list(csv.reader(io.StringIO(download.data.decode("utf-8-sig"))))
        assert set(CONTENTS) <= {cell for row in rows for cell in row}
        db.session.remove()
        db.engine.dispose()


@pytest.mark.app_config(REDIS_URL=None)
def test_the_worker_command_needs_redis(app):
    result = app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code != 0 and "REPORTING_REDIS_URL is not set" in result.output
