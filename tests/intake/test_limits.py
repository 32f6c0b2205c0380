"""Rate limits on submissions and lookups: a page that helps, keys that hold no address or device, and Redis
making the limits hold across workers and hosts."""
import dataclasses
import http.cookiejar
import uuid

import pytest
import redis
from sqlalchemy import func, select

from reporting import create_app
from reporting.extensions import db, limiter
from reporting.limits import DEVICE_COOKIE, round_flooded
from reporting.models import QrCode, Report
from tests.conftest import TEST_REDIS_URL, app_config
from tests.served import gunicorn, seeded_database

needs_redis = pytest.mark.skipif(not TEST_REDIS_URL, reason="TEST_REDIS_URL is not set: no Redis to test against")


def reports() -> int:
    return db.session.scalar(select(func.count()).select_from(Report))


@pytest.mark.app_config(SUBMIT_LIMIT="2 per minute")
def test_the_limit_page_says_when_gives_the_channels_and_keeps_the_text(client, submit):
    answers = [submit() for _ in range(2)]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert not any(name.startswith("X-RateLimit") for answer in answers for name in answer.headers.keys())
    response = submit(content="第三次提交的内容不能丢。", subject_name="孙八")
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    page = response.get_data(as_text=True)
    assert "请等待 1 分钟后再试" in page
    assert "0000-1234567" in page and "测试信箱 1 号" in page
    assert "第三次提交的内容不能丢。" in page and "孙八" in page
    assert reports() == 2


@pytest.mark.app_config(SUBMIT_LIMIT="1 per minute")
def test_reading_the_form_is_not_limited(client, submit, open_round):
    submit()
    assert [client.get(f"/r/{open_round.round_code.token}").status_code for _ in range(5)] == [200] * 5


@pytest.mark.app_config(LOOKUP_LIMIT="3 per minute")
def test_receipt_lookups_are_limited(lookup):
    assert [lookup(receipt="ABCD-EFGH-JKMN-PQRS").status_code for _ in range(3)] == [200] * 3
    response = lookup(receipt="ABCD-EFGH-JKMN-PQRS")
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert "操作过于频繁" in response.get_data(as_text=True)


def test_limiter_keys_hold_no_address_or_device(client, submit):
    client.environ_base["REMOTE_ADDR"] = "198.51.100.23"
    submit()
    device = client.get_cookie(DEVICE_COOKIE).value
    keys = " ".join(map(str, limiter.storage.storage))
    assert keys and "198.51.100.23" not in keys
    assert device.split(".")[0] not in keys


@needs_redis
@pytest.mark.app_config(RATELIMIT_STORAGE_URI=TEST_REDIS_URL, SECRET_KEY=f"redis-{uuid.uuid4()}")
def test_with_redis_the_keys_hold_no_address_and_expire(client, submit):
    client.environ_base["REMOTE_ADDR"] = "198.51.100.24"
    submit()
    server = redis.Redis.from_url(TEST_REDIS_URL)
    keys = [key for key in server.keys("LIMITS*") if server.ttl(key) > 0]
    assert keys
    assert not [key for key in server.keys("*") if b"198.51.100.24" in key]


@pytest.mark.app_config(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
def test_with_redis_down_reports_are_still_taken(submit):
    assert submit().status_code == 200
    assert reports() == 1


@needs_redis
def test_two_workers_sharing_redis_hold_one_limit(tmp_path):
    url, token = seeded_database(tmp_path)
    env = {
        "REPORTING_DATABASE_URL": url,
        "REPORTING_RATELIMIT_STORAGE_URI": TEST_REDIS_URL,
        "REPORTING_SUBMIT_LIMIT": "3 per minute",
        "REPORTING_SECRET_KEY": f"workers-{uuid.uuid4()}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "1",
    }
    with gunicorn(tmp_path, **env) as served:
        answers = [served.post_form(f"/r/{token}", {"content": f"第 {i} 份反映内容。"})[0] for i in range(8)]
    assert sorted(answers) == [200] * 3 + [429] * 5
    assert served.output.count("Booting worker") == 2


@needs_redis
def test_two_hosts_sharing_redis_hold_the_device_address_and_round_limits(tmp_path):
    """Two app hosts (own processes, own instance folders) on one database and one Redis: a phone that goes to
    either, a village behind one address, and the round's count all add up across both."""
    url, token = seeded_database(tmp_path)
    secret = f"hosts-{uuid.uuid4()}"
    env = {
        "REPORTING_DATABASE_URL": url,
        "REPORTING_RATELIMIT_STORAGE_URI": TEST_REDIS_URL,
        "REPORTING_SECRET_KEY": secret,
        "REPORTING_SUBMIT_LIMIT": "3 per minute",
        "REPORTING_SUBMIT_ADDRESS_LIMIT": "5 per 10 minutes",
        "REPORTING_SUBMIT_ROUND_LIMIT": "5 per hour",
    }
    with gunicorn(tmp_path, REPORTING_INSTANCE_DIR=str(tmp_path / "a"), **env) as one, \
            gunicorn(tmp_path, REPORTING_INSTANCE_DIR=str(tmp_path / "b"), **env) as other:

        def send(jar: http.cookiejar.CookieJar, turn: int) -> int:
            host = dataclasses.replace((one, other)[turn % 2], jar=jar)  # a browser's cookies follow the host name
            return host.post_form(f"/r/{token}", {"content": f"第 {turn} 份反映内容。"})[0]

        mine = http.cookiejar.CookieJar()
        assert [send(mine, turn) for turn in range(4)] == [200, 200, 200, 429]
        assert [send(http.cookiejar.CookieJar(), turn) for turn in range(3)] == [200, 200, 429]
    app = create_app(app_config(url, tmp_path) | {"RATELIMIT_STORAGE_URI": TEST_REDIS_URL, "SECRET_KEY": secret,
                                                   "SUBMIT_ROUND_LIMIT": "5 per hour"})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Report)) == 5
        assert round_flooded(db.session.scalar(select(QrCode.round_id).where(QrCode.token == token)))
        db.engine.dispose()
