"""Limits that spare a village: per phone (its device cookie), per address (an IPv6 /64 as one), per round (a
flood notice, nobody refused), and days that end at the round's own midnight."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from reporting.extensions import db
from reporting.limits import DEVICE_COOKIE, round_flooded
from reporting.models import Report
from tests.factories import csrf_token, log_in, make_round, make_staff
from tests.intake.conftest import receipt_in, send_report

VILLAGE = "203.0.113.9"  # one carrier-NAT address for everyone in the village


def reports() -> int:
    return db.session.scalar(select(func.count()).select_from(Report))


def phone(app, address: str = VILLAGE):
    """A resident's own browser: its own cookies (so its own device cookie), behind `address`."""
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    return browser


def device_cookie(browser) -> str | None:
    cookie = browser.get_cookie(DEVICE_COOKIE)
    return cookie.value if cookie else None


def device_header(response) -> str:
    """The Set-Cookie header that gives the device cookie ('' when the response gives none)."""
    return next((h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{DEVICE_COOKIE}=")), "")


def look_up(browser, receipt: str = "ABCD-EFGH-JKMN-PQRS"):
    page = browser.get("/status").get_data(as_text=True)
    return browser.post("/status", data={"csrf_token": csrf_token(page), "receipt": receipt})


# Per device ----------------------------------------------------------------------------------------------------

def test_fifty_phones_behind_one_address_each_send_a_report_and_all_are_accepted(app, open_round):
    token = open_round.round_code.token
    answers = [send_report(phone(app), token, content=f"第 {n} 户反映：村里的路修了一半就停了。") for n in range(50)]
    assert [answer.status_code for answer in answers] == [200] * 50
    assert len({receipt_in(answer.get_data(as_text=True)) for answer in answers}) == 50
    assert reports() == 50


def test_a_sixth_report_from_one_phone_within_a_minute_gets_the_limit_page_with_its_text(app, open_round):
    token = open_round.round_code.token
    mine = phone(app)
    assert [send_report(mine, token).status_code for _ in range(5)] == [200] * 5
    refused = send_report(mine, token, content="第六份反映的内容不能丢。", subject_name="周九")
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "请等待 1 分钟后再试" in page and "0000-1234567" in page
    assert "第六份反映的内容不能丢。" in page and "周九" in page
    assert send_report(phone(app), token).status_code == 200  # the neighbour's phone, same address
    assert reports() == 6


@pytest.mark.app_config(SUBMIT_ADDRESS_LIMIT="8 per 10 minutes")
def test_one_phone_past_its_limit_does_not_use_up_the_villages(app, open_round):
    token = open_round.round_code.token
    noisy = phone(app)
    assert [send_report(noisy, token).status_code for _ in range(12)] == [200] * 5 + [429] * 7
    assert [send_report(phone(app), token).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_the_device_cookie_is_signed_random_httponly_lax_and_long_lived(app, open_round):
    token = open_round.round_code.token
    first, second = phone(app), phone(app)
    header = device_header(first.get(f"/r/{token}"))
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Max-Age=34560000" in header
    assert "Secure" not in header
    second.get(f"/r/{token}")
    assert device_cookie(first) and device_cookie(second) and device_cookie(first) != device_cookie(second)
    assert device_header(first.get(f"/r/{token}")) == ""  # kept, not renewed
    assert device_header(phone(app).get("/status"))  # the lookup form gives one too
    assert "Secure" in device_header(app.test_client().get(f"/r/{token}", base_url="https://localhost"))


@pytest.mark.app_config(NO_DEVICE_LIMIT="2 per 10 minutes")
def test_a_post_without_a_valid_device_cookie_counts_in_the_strict_bucket_of_its_address(app, open_round):
    token = open_round.round_code.token
    cookieless = phone(app)

    def send_without_device(device: str | None = None):
        page = cookieless.get(f"/r/{token}").get_data(as_text=True)
        cookieless.delete_cookie(DEVICE_COOKIE)
        if device:
            cookieless.set_cookie(DEVICE_COOKIE, device)
        return cookieless.post(f"/r/{token}", data={"csrf_token": csrf_token(page), "content": "无设备的提交。"})

    assert [send_without_device().status_code for _ in range(2)] == [200, 200]
    genuine = phone(app)
    genuine.get(f"/r/{token}")
    signed = device_cookie(genuine) or ""
    forged = signed[:-2] + ("xx" if signed[-2:] != "xx" else "yy")
    assert send_without_device(forged).status_code == 429  # a forged signature is no device
    refused = send_without_device()
    assert refused.status_code == 429 and "无设备的提交。" in refused.get_data(as_text=True)
    assert send_report(phone(app), token).status_code == 200  # phones with their cookie, same address


def test_a_script_that_throws_cookies_away_gets_little(app, open_round):
    """It gets no receipt (no session, so no valid form token) and, past three tries in ten minutes, a 429."""
    token = open_round.round_code.token
    answers = [phone(app).post(f"/r/{token}", data={"content": "脚本提交"}).status_code for _ in range(6)]
    assert answers == [400] * 3 + [429] * 3
    assert reports() == 0


# Per address ---------------------------------------------------------------------------------------------------

@pytest.mark.app_config(SUBMIT_ADDRESS_LIMIT="2 per 10 minutes")
def test_phones_of_one_ipv6_64_share_the_address_bucket_and_other_64s_do_not(app, open_round):
    token = open_round.round_code.token
    assert send_report(phone(app, "2001:db8:5:5::1"), token).status_code == 200
    assert send_report(phone(app, "2001:db8:5:5:aaaa:bbbb:cccc:2"), token).status_code == 200
    assert send_report(phone(app, "2001:db8:5:5:ffff::3"), token).status_code == 429
    assert send_report(phone(app, "2001:db8:5:6::1"), token).status_code == 200
    assert send_report(phone(app, VILLAGE), token).status_code == 200


# Per round -----------------------------------------------------------------------------------------------------

@pytest.mark.app_config(SUBMIT_ROUND_LIMIT="3 per hour")
def test_past_the_rounds_ceiling_residents_are_accepted_and_admins_see_a_flood_notice(app, open_round):
    token, other = open_round.round_code.token, make_round(name="另一轮巡察")
    admin, leader = app.test_client(), app.test_client()
    log_in(admin, make_staff("admin"))
    log_in(leader, make_staff("leader", open_round.teams))
    assert [send_report(phone(app), token).status_code for _ in range(2)] == [200, 200]
    assert not round_flooded(open_round.id)
    assert 'id="flood-' not in admin.get("/staff/").get_data(as_text=True)
    assert [send_report(phone(app), token).status_code for _ in range(3)] == [200, 200, 200]
    assert round_flooded(open_round.id) and not round_flooded(other.id)
    page = admin.get("/staff/").get_data(as_text=True)
    assert f'id="flood-{open_round.id}"' in page and f'id="flood-{other.id}"' not in page
    assert "测试巡察 在过去 60 分钟内收到 3 份或更多提交" in page
    assert 'id="flood-' not in leader.get("/staff/").get_data(as_text=True)
    assert reports() == 5


@pytest.mark.app_config(SUBMIT_ROUND_LIMIT="1 per hour")
def test_a_refused_form_counts_towards_the_flood(app, open_round):
    assert send_report(phone(app), open_round.round_code.token, content="").status_code == 400
    assert round_flooded(open_round.id)


# Days end at the round's midnight ------------------------------------------------------------------------------

def at(monkeypatch, zone: str, day, hour: int, minute: int, second: int = 0) -> None:
    """Move the limits' clock (not the limiter's own seconds) to a wall-clock time in `zone`."""
    moment = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=ZoneInfo(zone))
    monkeypatch.setattr("reporting.limits.utcnow", lambda: moment.astimezone(ZoneInfo("UTC")))


@pytest.mark.app_config(SUBMIT_LIMIT="2 per day")
def test_a_days_limit_ends_at_the_rounds_local_midnight_not_utcs_or_the_sites(app, monkeypatch):
    """Urumqi is UTC+6: its midnight is neither UTC's nor Shanghai's (the site's default zone)."""
    round_ = make_round(timezone="Asia/Urumqi")
    token, mine, day = round_.round_code.token, phone(app), datetime(2025, 3, 10)
    at(monkeypatch, "Asia/Shanghai", day, 23, 59)
    assert [send_report(mine, token).status_code for _ in range(3)] == [200, 200, 429]
    at(monkeypatch, "Asia/Shanghai", day + timedelta(days=1), 0, 1)  # the site's midnight has passed
    assert send_report(mine, token).status_code == 429
    at(monkeypatch, "Asia/Urumqi", day, 23, 59, 30)
    refused = send_report(mine, token)
    assert refused.status_code == 429 and "请等待 1 分钟后再试" in refused.get_data(as_text=True)
    at(monkeypatch, "Asia/Urumqi", day + timedelta(days=1), 0, 0, 30)
    assert [send_report(mine, token).status_code for _ in range(3)] == [200, 200, 429]
    at(monkeypatch, "UTC", day + timedelta(days=1), 0, 1)  # UTC's midnight comes six hours after Urumqi's
    assert send_report(mine, token).status_code == 429


# Lookups -------------------------------------------------------------------------------------------------------

@pytest.mark.app_config(LOOKUP_LIMIT="2 per minute")
def test_the_lookup_limit_counts_per_phone(app):
    mine, neighbours = phone(app), phone(app)
    assert [look_up(mine).status_code for _ in range(3)] == [200, 200, 429]
    assert [look_up(neighbours).status_code for _ in range(2)] == [200, 200]


@pytest.mark.app_config(LOOKUP_ADDRESS_LIMIT="3 per 10 minutes")
def test_the_lookup_limit_counts_per_address_too(app):
    assert [look_up(phone(app)).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert look_up(phone(app, "198.51.100.40")).status_code == 200


@pytest.mark.app_config(LOOKUP_LIMIT="1 per day")
def test_the_lookup_days_end_at_the_sites_default_midnight(app, monkeypatch):
    mine, day = phone(app), datetime(2025, 3, 10)
    at(monkeypatch, "UTC", day, 23, 59)
    assert [look_up(mine).status_code for _ in range(2)] == [200, 429]
    at(monkeypatch, "UTC", day + timedelta(days=1), 0, 1)  # UTC's midnight: Shanghai's day goes on
    assert look_up(mine).status_code == 429
    at(monkeypatch, "Asia/Shanghai", day + timedelta(days=2), 0, 0, 30)
    assert look_up(mine).status_code == 200


@pytest.mark.app_config(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0", SUBMIT_ROUND_LIMIT="1 per hour")
def test_with_the_limit_storage_down_reports_are_taken_and_the_queue_shows_no_flood(app, open_round):
    assert send_report(phone(app), open_round.round_code.token).status_code == 200
    assert not round_flooded(open_round.id)
    admin = app.test_client()
    log_in(admin, make_staff("admin"))
    response = admin.get("/staff/")
    assert response.status_code == 200 and 'id="flood-' not in response.get_data(as_text=True)


@pytest.mark.app_config(RATELIMIT_ENABLED=False, CAPTCHA=True)
def test_with_limits_switched_off_the_form_and_its_captcha_still_work(client, open_round):
    token = open_round.round_code.token
    page = client.get(f"/r/{token}")
    assert page.status_code == 200 and 'name="captcha_challenge"' in page.get_data(as_text=True)
    assert client.get(f"/r/{token}/captcha").status_code == 200
    assert not round_flooded(open_round.id)
    assert send_report(client, token).status_code == 400  # no captcha answer: refused with the form, not a 500
