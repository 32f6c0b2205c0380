"""A captcha that needs no outside service, for the resident's report form (REPORTING_CAPTCHA, on by default).

Two ways through, either is enough:
- with JavaScript, a proof of work: the vendored ALTCHA widget fetches `proof_of_work(token)` and solves it
  while the resident types (PyPI `altcha` 2.x here, npm `altcha` 3.x in `static/vendor/altcha/`);
- without it, or when the widget found no solution (an old phone, no secure context on a plain-HTTP pilot): a
  picture of digits, always in the page, that the resident types.

Every challenge is signed with a key derived from SECRET_KEY and the poster's token, so that one solved for
round A is refused on round B; it expires with the form's own CSRF token, and it is good once (`used.py`). The
picture's digits are not stored: they are a keyed hash of its challenge, so a page view writes nothing.

`harder` is the flood knob: a larger proof of work and one more digit. Challenges minted before it was turned
on stay good until they expire.
"""
import base64
import hashlib
import hmac
import re
import secrets
import time
import unicodedata
from dataclasses import dataclass

from altcha import Payload, create_challenge, verify_solution
from flask import Flask, current_app

from reporting.captcha import used
from reporting.captcha.drawing import draw_digits

ALGORITHM = "PBKDF2/SHA-256"
COST = 1_000  # PBKDF2 iterations per try: one try costs the server as much when it mints a challenge
COUNTERS = (200, 1_000)  # the number of tries a solver needs is drawn from this range
HARDER = 8  # past a round's ceiling, that many times the tries
DIGITS, HARDER_DIGITS = 5, 6
DEFAULT_LIFETIME = 3600  # Flask-WTF's own default for a form's token

# The picture's challenge as the form carries it: digit count, expiry (Unix seconds), nonce, signature.
IMAGE_CHALLENGE = re.compile(r"^([56])\.([0-9]{1,12})\.([A-Za-z0-9_-]{16})\.([0-9a-f]{32})$")
# Fields of the report form while the captcha is on.
PROOF_FIELD, IMAGE_FIELD, ANSWER_FIELD = "altcha", "captcha_challenge", "captcha_answer"


@dataclass(frozen=True)
class Challenge:
    """What the form shows: the picture (a data: URI; the CSP allows `img-src data:`) and its challenge."""

    image_challenge: str
    image: str
    digits: int


def init_app(app: Flask) -> None:
    used.init_app(app)


def lifetime() -> int:
    """Seconds a challenge stays good: as long as the form's CSRF token, so neither outlives the other."""
    return int(current_app.config.get("WTF_CSRF_TIME_LIMIT", DEFAULT_LIFETIME) or DEFAULT_LIFETIME)


def key(purpose: str, token: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"captcha-{purpose}-v1:{token}".encode(), hashlib.sha256).hexdigest()


def new_challenge(token: str, harder: bool = False) -> Challenge:
    """A picture challenge for the form of poster `token`, drawn now; nothing is stored."""
    count = HARDER_DIGITS if harder else DIGITS
    unsigned = f"{count}.{int(time.time()) + lifetime()}.{secrets.token_urlsafe(12)}"
    image_challenge = f"{unsigned}.{sign_image(token, unsigned)}"
    png = draw_digits(digits_for(token, image_challenge))
    return Challenge(image_challenge, "data:image/png;base64," + base64.b64encode(png).decode(), count)


def proof_of_work(token: str, harder: bool = False) -> dict:
    """A fresh ALTCHA challenge (the JSON its widget fetches) for poster `token`."""
    low, high = COUNTERS
    factor = HARDER if harder else 1
    challenge = create_challenge(
        ALGORITHM, COST, counter=secrets.randbelow((high - low) * factor + 1) + low * factor,
        expires_at=int(time.time()) + lifetime(),
        hmac_secret=key("proof", token), hmac_key_secret=key("proof-key", token),
    )
    return challenge.to_dict()


def check(token: str, form) -> bool:
    """Whether `form` (the POSTed fields) carries a solved proof of work or the digits of its picture for
    poster `token`, each not yet used; either one is spent by the check, right or wrong."""
    return (solved_proof(token, form.get(PROOF_FIELD, ""))
            or typed_digits(token, form.get(IMAGE_FIELD, ""), form.get(ANSWER_FIELD, "")))


def solved_proof(token: str, encoded: str) -> bool:
    if not encoded:
        return False
    try:
        payload = Payload.from_base64(encoded)
    except (ValueError, KeyError, TypeError, RecursionError):  # what altcha itself catches for a bad payload
        return False
    result = verify_solution(payload, key("proof", token), hmac_key_secret=key("proof-key", token))
    expires_at = payload.challenge.parameters.expires_at
    return bool(result.verified and expires_at and used.first_use(f"proof:{payload.challenge.signature}", expires_at))


def typed_digits(token: str, image_challenge: str, answer: str) -> bool:
    match = IMAGE_CHALLENGE.match(image_challenge)
    if not match or not hmac.compare_digest(match.group(4), sign_image(token, image_challenge.rsplit(".", 1)[0])):
        return False
    expires_at = int(match.group(2))
    if expires_at < time.time() or not used.first_use(f"image:{image_challenge}", expires_at):
        return False
    # Chinese input methods may type full-width digits; people type spaces between groups.
    typed = "".join(unicodedata.normalize("NFKC", answer).split())
    return hmac.compare_digest(typed.encode(), digits_for(token, image_challenge).encode())


def sign_image(token: str, unsigned: str) -> str:
    return hmac.new(key("image-challenge", token).encode(), unsigned.encode(), hashlib.sha256).hexdigest()[:32]


def digits_for(token: str, image_challenge: str) -> str:
    """The digits the picture of `image_challenge` shows: a keyed hash of it, so they are kept nowhere.

    The drawing and the check both ask this; tests ask it too, as they cannot read the picture.
    """
    count = int(image_challenge.split(".", 1)[0])
    digest = hmac.new(key("image-digits", token).encode(), image_challenge.encode(), hashlib.sha256).digest()
    return str(int.from_bytes(digest[:8], "big") % 10**count).zfill(count)
