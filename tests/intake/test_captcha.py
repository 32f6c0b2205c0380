"""The captcha of `POST /r/<token>`: a proof of work or the digits of a picture, each good once, for one round's
poster, until it expires; a refusal keeps every field and offers a fresh challenge.

The tests read a picture's digits with `captcha.digits_for`, the function the drawing and the check use: it needs
the site's secret, so it is no way around the captcha.
"""
import base64
import io
import re
import time
import uuid

import pytest
import redis
from altcha import Challenge, Payload, solve_challenge
from PIL import Image
from sqlalchemy import func, select

from reporting import captcha, create_app
from reporting.captcha import used
from reporting.extensions import db
from reporting.models import Report
from tests.conftest import TEST_REDIS_URL, app_config
from tests.factories import csrf_token, log_in, make_round, make_staff
from tests.intake.conftest import image_file, receipt_in

pytestmark = pytest.mark.app_config(CAPTCHA=True)
needs_redis = pytest.mark.skipif(not TEST_REDIS_URL, reason="TEST_REDIS_URL is not set: no Redis to test against")

CONTENT = "村里低保名额被村干部亲属占用。"
IMAGE_CHALLENGE = re.compile(r'name="captcha_challenge" value="([^"]+)"')
PICTURE = re.compile(r'src="data:image/png;base64,([^"]+)"')
REFUSED = {"zh": "验证没有通过", "en": "The check was not passed"}


@pytest.fixture
def token(open_round) -> str:
    return open_round.round_code.token


@pytest.fixture
def easy_proof(monkeypatch):
    """A proof of work of a few tries, solved in milliseconds (the browser test solves the real one)."""
    monkeypatch.setattr(captcha, "COUNTERS", (1, 3))


def form_page(client, token: str) -> tuple[str, str]:
    """The form's CSRF token and its picture's challenge, as a browser gets them."""
    html = client.get(f"/r/{token}").get_data(as_text=True)
    return csrf_token(html), IMAGE_CHALLENGE.search(html).group(1)


def send(client, token: str, **fields):
    data = {"content": CONTENT} | fields
    return client.post(f"/r/{token}", data=data, content_type="multipart/form-data")


def send_digits(client, token: str, answer: str | None = None, **fields):
    """Send the form with its picture's digits typed (or `answer`)."""
    csrf, challenge = form_page(client, token)
    typed = captcha.digits_for(token, challenge) if answer is None else answer
    return send(client, token, csrf_token=csrf, captcha_challenge=challenge, captcha_answer=typed, **fields)


def solved_proof(client, token: str) -> str:
    """What the widget posts: the fetched challenge and its solution, found by altcha's own solver."""
    challenge = Challenge.from_dict(client.get(f"/r/{token}/captcha").get_json())
    return Payload(challenge, solve_challenge(challenge)).to_base64()


def send_proof(client, token: str, proof: str, **fields):
    csrf, _ = form_page(client, token)
    return send(client, token, csrf_token=csrf, altcha=proof, **fields)


def report_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Report))


def assert_refused(response, stored: int = 0) -> str:
    """A 400 that names the captcha, with `stored` reports in the database (those sent before)."""
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert REFUSED["zh"] in html and 'id="captcha-error"' in html
    assert report_count() == stored
    return html


# The picture: the way without JavaScript.

def test_the_form_carries_a_picture_of_digits_and_the_widgets_script(client, token):
    html = client.get(f"/r/{token}").get_data(as_text=True)
    challenge = IMAGE_CHALLENGE.search(html).group(1)
    picture = Image.open(io.BytesIO(base64.b64decode(PICTURE.search(html).group(1))))
    assert picture.format == "PNG" and picture.width >= 5 * captcha.drawing.CELL
    assert re.fullmatch(r"[0-9]{5}", captcha.digits_for(token, challenge))
    assert 'name="captcha_answer"' in html and 'inputmode="numeric"' in html
    assert f'data-challenge="/r/{token}/captcha"' in html
    assert "js/captcha.js" in html and "vendor/altcha/altcha.css" in html


def test_typed_digits_let_a_report_through(client, token):
    response = send_digits(client, token)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert receipt_in(response.get_data(as_text=True))
    assert report_count() == 1


def test_full_width_digits_and_spaces_are_read_as_typed(client, token):
    csrf, challenge = form_page(client, token)
    digits = captcha.digits_for(token, challenge)
    typed = " ".join(chr(ord(digit) + 0xFEE0) for digit in digits)  # ５ ０ ７ … from a Chinese input method
    response = send(client, token, csrf_token=csrf, captcha_challenge=challenge, captcha_answer=typed)
    assert response.status_code == 200


def test_wrong_digits_keep_every_field_and_offer_a_fresh_challenge(client, token, open_round):
    csrf, challenge = form_page(client, token)
    wrong = str((int(captcha.digits_for(token, challenge)) + 1) % 100000).zfill(5)
    fields = {"anonymous": "0", "reporter_name": "王五", "reporter_phone": "13812345678",
              "unit_id": str(open_round.units[1].id), "category": "廉洁纪律", "subject_name": "赵六",
              "subject_unit": "乙单位", "subject_position": "村主任", "attachments": [image_file()]}
    html = assert_refused(send(client, token, csrf_token=csrf, captcha_challenge=challenge, captcha_answer=wrong,
                               **fields))
    for value in ("王五", "13812345678", "赵六", "乙单位", "村主任", CONTENT):
        assert value in html
    assert f'<option selected value="{open_round.units[1].id}">' in html
    assert '<option selected value="廉洁纪律">' in html
    assert 'id="photos-not-kept"' in html  # a photo cannot come back: the page says to choose it again
    fresh = IMAGE_CHALLENGE.search(html).group(1)
    assert fresh != challenge
    assert send(client, token, csrf_token=csrf_token(html), captcha_challenge=fresh,
                captcha_answer=captcha.digits_for(token, fresh)).status_code == 200


@pytest.mark.parametrize("fields", [{}, {"captcha_answer": "12345"}, {"captcha_challenge": "5.1.x.y"}])
def test_a_form_without_a_solved_challenge_is_refused(client, token, fields):
    csrf, _ = form_page(client, token)
    assert_refused(send(client, token, csrf_token=csrf, **fields))


def test_the_refusal_says_why_in_english_too(client, token):
    client.get(f"/r/{token}?lang=en")
    html = send_digits(client, token, answer="00000x").get_data(as_text=True)
    assert REFUSED["en"] in html and "Some answers need attention" in html


def test_a_picture_is_good_once(client, token):
    csrf, challenge = form_page(client, token)
    digits = captcha.digits_for(token, challenge)
    assert send(client, token, csrf_token=csrf, captcha_challenge=challenge, captcha_answer=digits).status_code == 200
    csrf, _ = form_page(client, token)
    assert_refused(send(client, token, csrf_token=csrf, captcha_challenge=challenge, captcha_answer=digits), stored=1)


def test_a_wrong_guess_spends_the_picture(client, token):
    """Otherwise one picture could be guessed at a hundred thousand times."""
    csrf, challenge = form_page(client, token)
    send(client, token, csrf_token=csrf, captcha_challenge=challenge, captcha_answer="x")
    csrf, _ = form_page(client, token)
    assert_refused(send(client, token, csrf_token=csrf, captcha_challenge=challenge,
                        captcha_answer=captcha.digits_for(token, challenge)))


def test_a_right_answer_is_not_spent_on_a_missing_field(client, token):
    csrf, challenge = form_page(client, token)
    digits = captcha.digits_for(token, challenge)
    refused = send(client, token, csrf_token=csrf, captcha_challenge=challenge, captcha_answer=digits, content="")
    assert refused.status_code == 400 and 'id="captcha-error"' not in refused.get_data(as_text=True)
    assert send(client, token, csrf_token=csrf, captcha_challenge=challenge, captcha_answer=digits).status_code == 200


def test_an_expired_picture_is_refused(client, token, monkeypatch):
    with monkeypatch.context() as past:
        past.setattr(time, "time", lambda now=time.time(): now - captcha.lifetime() - 1)
        old = captcha.new_challenge(token)
    csrf, _ = form_page(client, token)
    assert_refused(send(client, token, csrf_token=csrf, captcha_challenge=old.image_challenge,
                        captcha_answer=captcha.digits_for(token, old.image_challenge)))


def test_a_picture_of_another_round_is_refused(client, token):
    other = make_round(name="另一轮巡察").round_code.token
    csrf, challenge = form_page(client, other)
    csrf, _ = form_page(client, token)
    assert_refused(send(client, token, csrf_token=csrf, captcha_challenge=challenge,
                        captcha_answer=captcha.digits_for(other, challenge)))


def test_a_forged_picture_challenge_is_refused(client, token):
    """The digit count, expiry and nonce are signed: fewer digits or a later expiry cannot be asked for."""
    csrf, challenge = form_page(client, token)
    count, expires, nonce, signature = challenge.split(".")
    for forged in (f"5.{int(expires) + 9999}.{nonce}.{signature}", f"6.{expires}.{nonce}.{signature}"):
        assert_refused(send(client, token, csrf_token=csrf, captcha_challenge=forged,
                            captcha_answer=captcha.digits_for(token, forged)))


# The proof of work: the way with JavaScript.

def test_the_widget_fetches_a_fresh_signed_challenge(client, token):
    response = client.get(f"/r/{token}/captcha")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    challenge = response.get_json()
    assert challenge["parameters"]["algorithm"] == captcha.ALGORITHM and challenge["signature"]
    assert challenge["parameters"]["expiresAt"] > time.time() + captcha.lifetime() - 60
    assert client.get(f"/r/{token}/captcha").get_json()["parameters"]["nonce"] != challenge["parameters"]["nonce"]


def test_a_solved_proof_of_work_lets_a_report_through(client, token, easy_proof):
    response = send_proof(client, token, solved_proof(client, token))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert report_count() == 1


def test_a_proof_of_work_is_good_once(client, token, easy_proof):
    proof = solved_proof(client, token)
    assert send_proof(client, token, proof).status_code == 200
    assert_refused(send_proof(client, token, proof), stored=1)


def test_a_wrong_or_garbled_proof_is_refused(client, token, easy_proof):
    challenge = Challenge.from_dict(client.get(f"/r/{token}/captcha").get_json())
    solution = solve_challenge(challenge)
    solution.derived_key = "00" * 32
    for proof in (Payload(challenge, solution).to_base64(), "bm90IGpzb24=", "%%%"):
        assert_refused(send_proof(client, token, proof))


def test_an_expired_proof_of_work_is_refused(client, token, easy_proof, monkeypatch):
    with monkeypatch.context() as past:
        past.setattr(time, "time", lambda now=time.time(): now - captcha.lifetime() - 1)
        challenge = Challenge.from_dict(captcha.proof_of_work(token))
    assert_refused(send_proof(client, token, Payload(challenge, solve_challenge(challenge)).to_base64()))


def test_a_proof_of_work_for_another_round_is_refused(client, token, easy_proof):
    other = make_round(name="另一轮巡察").round_code.token
    assert_refused(send_proof(client, token, solved_proof(client, other)))


def test_harder_challenges_take_more_work_and_more_digits(app, token, monkeypatch):
    monkeypatch.setattr(captcha, "COUNTERS", (2, 3))
    hard = Challenge.from_dict(captcha.proof_of_work(token, harder=True))
    assert solve_challenge(hard).counter >= 2 * captcha.HARDER
    assert captcha.new_challenge(token, harder=True).digits == 6
    assert len(captcha.digits_for(token, captcha.new_challenge(token, harder=True).image_challenge)) == 6


@pytest.mark.app_config(CAPTCHA=True, SUBMIT_ROUND_LIMIT="2 per hour")
def test_a_flooded_round_asks_more_of_each_sender_and_still_accepts_them(client, token, monkeypatch):
    monkeypatch.setattr(captcha, "COUNTERS", (2, 3))
    _, challenge = form_page(client, token)
    assert len(captcha.digits_for(token, challenge)) == 5
    for _ in range(2):
        assert send_digits(client, token).status_code == 200
    _, challenge = form_page(client, token)
    assert len(captcha.digits_for(token, challenge)) == 6
    proof = Challenge.from_dict(client.get(f"/r/{token}/captcha").get_json())
    assert solve_challenge(proof).counter >= 2 * captcha.HARDER
    assert send_digits(client, token).status_code == 200


def test_the_widgets_challenge_is_only_for_an_open_round(client, token):
    closed = make_round(name="已结束", status="closed").round_code.token
    assert client.get(f"/r/{closed}/captcha").status_code == 404
    assert client.get("/r/no-such-token/captcha").status_code == 404


# Off, and the staff's side.

@pytest.mark.app_config(CAPTCHA=False)
def test_with_the_captcha_off_the_form_has_no_captcha_and_needs_none(client, token):
    html = client.get(f"/r/{token}").get_data(as_text=True)
    assert "captcha" not in html and "altcha" not in html
    assert client.get(f"/r/{token}/captcha").status_code == 404
    assert send(client, token, csrf_token=csrf_token(html)).status_code == 200


def test_staff_record_a_letter_with_no_captcha(client, two_teams, post_form):
    member = make_staff("member", [two_teams.teams[0]])
    log_in(client, member)
    path = f"/staff/reports/new?round={two_teams.id}"
    page = client.get(path).get_data(as_text=True)
    assert "captcha" not in page
    response = post_form(path, {"channel": "letter", "received_on": "2026-11-20", "anonymous": "1", "team_id": "",
                                "unit_id": str(two_teams.units[0].id), "category": "",
                                "content": "来信反映乙单位违规吃喝问题。"},
                         token_page=path)
    assert response.status_code == 302, response.get_data(as_text=True)


# Where used challenges are remembered.

def test_without_redis_a_process_remembers_its_used_challenges(app):
    until = time.time() + 60
    assert used.first_use("proof:abc", until) and not used.first_use("proof:abc", until)


def test_with_redis_unreachable_the_process_remembers_them(app, caplog, monkeypatch):
    monkeypatch.setattr(app.logger, "disabled", False)  # Alembic's logging setup, run by the migrations, turned it off
    app.extensions["reporting.redis"] = redis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    until = time.time() + 60
    assert used.first_use("image:abc", until) and not used.first_use("image:abc", until)
    assert "Redis unreachable" in caplog.text


@needs_redis
def test_with_redis_every_worker_and_host_sees_a_used_challenge(tmp_path, migrated_url):
    """Two apps stand for two workers (or hosts): what one used, the other refuses; Redis forgets it on expiry."""
    config = app_config(migrated_url, tmp_path) | {"CAPTCHA": True, "REDIS_URL": TEST_REDIS_URL,
                                                   "SECRET_KEY": f"captcha-{uuid.uuid4()}"}
    one, other = create_app(config), create_app(config)
    until = time.time() + 30
    with one.app_context():
        assert used.first_use("proof:shared", until)
        ttl = redis.Redis.from_url(TEST_REDIS_URL).ttl(used.redis_key("proof:shared"))
    with other.app_context():
        assert not used.first_use("proof:shared", until)
    assert 25 <= ttl <= 32
