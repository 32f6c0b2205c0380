"""Scans counted by real gunicorn workers at once: exact in Redis across workers, and on the embedded default
stored when each worker exits."""
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from reporting import create_app
from reporting.extensions import db
from reporting.models import QrCode
from reporting.scans import scans_of
from tests.conftest import TEST_REDIS_URL, app_config
from tests.served import gunicorn, seeded_database

SCANS = 120


def scan_at_once(served, token: str) -> None:
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda _: served.request(f"/r/{token}")[0], range(SCANS)))
    assert answers == [200] * SCANS


def figures(url: str, tmp_path, **settings) -> int:
    app = create_app(app_config(url, tmp_path) | settings)
    with app.app_context():
        code = db.session.scalars(select(QrCode).where(QrCode.is_round_code)).one()
        scans = scans_of([code])[code.id]
        db.engine.dispose()
    return scans


@pytest.mark.skipif(not TEST_REDIS_URL, reason="TEST_REDIS_URL is not set: no Redis to test against")
def test_four_workers_counting_in_redis_lose_no_scan(tmp_path):
    url, token = seeded_database(tmp_path)
    secret = f"scans-{uuid.uuid4()}"
    with gunicorn(tmp_path, REPORTING_DATABASE_URL=url, REPORTING_REDIS_URL=TEST_REDIS_URL,
                  REPORTING_SECRET_KEY=secret, GUNICORN_WORKERS="4", GUNICORN_THREADS="4") as served:
        scan_at_once(served, token)
        assert figures(url, tmp_path, REDIS_URL=TEST_REDIS_URL, SECRET_KEY=secret) == SCANS  # workers still up


def test_without_redis_each_worker_stores_its_scans_when_it_exits(tmp_path):
    url, token = seeded_database(tmp_path)
    with gunicorn(tmp_path, REPORTING_DATABASE_URL=url, GUNICORN_WORKERS="2", GUNICORN_THREADS="4") as served:
        scan_at_once(served, token)
        assert figures(url, tmp_path) == 0  # no scan wrote to the database
    assert figures(url, tmp_path) == SCANS
