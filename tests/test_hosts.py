"""Two app hosts, each with its own instance folder, on one PostgreSQL and one Redis: whatever one host took,
the other serves (report, photo, identity, receipt), one submit limit holds across both, and neither host
keeps a file the other would need."""
import base64
import http.cookiejar
import io
import os
import re
import uuid

import pytest
from PIL import Image

from reporting import create_app
from reporting.extensions import db
from tests.conftest import TEST_DATABASE_URL, TEST_REDIS_URL, app_config
from tests.factories import csrf_token, make_staff
from tests.served import Served, gunicorn, seeded_database

pytestmark = pytest.mark.skipif(not (TEST_DATABASE_URL and TEST_REDIS_URL),
                                reason="TEST_DATABASE_URL and TEST_REDIS_URL are needed: two hosts share them")
PASSWORD = "hosts staff password"
RECEIPT = re.compile(r'id="receipt">([^<]+)<')


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), (200, 60, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def shared(empty_database, tmp_path):
    """The one database (with an open round and an admin) and the settings every host gets from its environment."""
    url, token = seeded_database(tmp_path, empty_database("postgresql"))
    with create_app(app_config(url, tmp_path)).app_context():
        make_staff("admin", username="admin", password=PASSWORD)
        db.engine.dispose()
    env = {
        "REPORTING_DATABASE_URL": url,
        "REPORTING_REDIS_URL": TEST_REDIS_URL,  # limits and scan counts follow it: no other Redis setting
        "REPORTING_SECRET_KEY": f"hosts-{uuid.uuid4()}",  # a fresh one: limit keys of earlier runs do not count
        "REPORTING_DATA_KEY": base64.b64encode(os.urandom(32)).decode(),
        "REPORTING_SUBMIT_LIMIT": "4 per minute",
        "REPORTING_CAPTCHA": "0",
    }
    return env, token


def as_person(host: Served, jar: http.cookiejar.CookieJar) -> Served:
    """The same browser on another host: cookies go to every port of 127.0.0.1, as they would to one site name."""
    return Served(host.url, jar=jar)


def test_two_hosts_serve_each_others_reports_photos_receipts_and_share_one_limit(shared, tmp_path):
    env, token = shared
    with gunicorn(tmp_path / "a", **env) as host_a, gunicorn(tmp_path / "b", **env) as host_b:
        resident, staff = http.cookiejar.CookieJar(), http.cookiejar.CookieJar()
        status, page = as_person(host_a, resident).post_form(f"/r/{token}", {
            "anonymous": "0", "reporter_name": "王小明", "reporter_phone": "13800001234",
            "content": "在甲主机提交：村支书挪用扶贫款。"}, photos=[photo()])
        assert status == 200
        receipt = RECEIPT.search(page).group(1)

        staff_b = as_person(host_b, staff)
        status, queue = staff_b.post_form("/staff/login", {"username": "admin", "password": PASSWORD})
        assert status == 200 and 'class="report-row' in queue
        report_id = re.search(r'data-id="(\d+)"', queue).group(1)
        _, report = staff_b.request(f"/staff/reports/{report_id}")
        assert "在甲主机提交：村支书挪用扶贫款。" in report
        _, revealed = staff_b.request(f"/staff/reports/{report_id}/identity", {"csrf_token": csrf_token(report)})
        assert "13800001234" in revealed
        attachment = re.search(r"/staff/attachments/\d+", report).group(0)
        served_photos = [as_person(host, staff).fetch(attachment) for host in (host_b, host_a)]
        assert served_photos[0] == served_photos[1]  # the staff session of host b holds on host a too
        status, content_type, data = served_photos[0]
        assert (status, content_type, Image.open(io.BytesIO(data)).size) == (200, "image/jpeg", (120, 90))

        for host in (host_a, host_b):
            status, found = Served(host.url).post_form("/status", {"receipt": receipt})
            assert status == 200 and "在甲主机提交：村支书挪用扶贫款。" in found

        # Three more from the same phone, spread over both hosts, reach the limit of four; then both refuse.
        answers = [as_person(host, resident).post_form(f"/r/{token}", {"content": f"第 {i} 份反映。"})[0]
                   for i, host in enumerate((host_b, host_a, host_b, host_a, host_b))]
        assert answers == [200, 200, 200, 429, 429]
    for host in ("a", "b"):
        assert [path for path in (tmp_path / host / "instance").rglob("*") if path.is_file()] == []
