"""The residents' rate limits, which must refuse a script without refusing a village.

- Per device: a random signed cookie given with the form pages (`give_device_cookie`). The limiter keys it
  only as an HMAC; it is stored with no report and written to no log. SUBMIT_LIMIT and LOOKUP_LIMIT count
  per device; a POST without a valid device cookie counts against NO_DEVICE_LIMIT per address instead.
- Per address (an IPv6 /64 counts as one): SUBMIT_ADDRESS_LIMIT and LOOKUP_ADDRESS_LIMIT, wide enough for a
  village behind one carrier-NAT address.
- Per round: SUBMIT_ROUND_LIMIT refuses nobody. Past it `round_flooded(round_id)` is true: the captcha asks
  more of each sender and admins see a notice. The count lives in the limiter's storage (Redis when
  configured), so every worker and host shares it.

Every key holds the day in the round's time zone, so "per day" ends at the round's midnight; `/status` has no
round and counts in the site's default zone. `utcnow` in this module is the clock tests move.
"""
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from flask import Response, current_app, g, request
from itsdangerous import BadSignature, Signer
from limits import RateLimitItem, parse
from limits.strategies import MovingWindowRateLimiter

from reporting.extensions import limiter
from reporting.models import DEFAULT_TIMEZONE, utcnow
from reporting.security import address_block, limit_key

DEVICE_COOKIE = "device"
DEVICE_COOKIE_LIFETIME = timedelta(days=400)  # the longest a browser keeps a cookie
View = TypeVar("View", bound=Callable[..., Any])


def device_signer() -> Signer:
    return Signer(current_app.config["SECRET_KEY"], salt="reporting.device")


def device_id() -> str | None:
    """The request's device: the random part of a cookie we signed; None when missing or forged.

    Checked once per request: the limits' keys and exemptions and the cookie's renewal ask up to four times."""
    if "device_id" not in g:
        g.device_id = unsigned_device(request.cookies.get(DEVICE_COOKIE))
    return g.device_id


def unsigned_device(cookie: str | None) -> str | None:
    if not cookie:
        return None
    try:
        return device_signer().unsign(cookie).decode()
    except BadSignature:
        return None


def give_device_cookie(response: Response) -> Response:
    """A browser without a valid device cookie gets one, out of reach of scripts and kept for long."""
    if device_id() is None:
        response.set_cookie(DEVICE_COOKIE, device_signer().sign(secrets.token_urlsafe(16)).decode(),
                            max_age=DEVICE_COOKIE_LIFETIME, secure=request.is_secure, httponly=True, samesite="Lax")
    return response


def use_zone(zone: str | None) -> None:
    """Set before the limiter runs: the time zone of the request's limit days (its round's; else the site's)."""
    g.limit_zone = zone or DEFAULT_TIMEZONE


def limit_zone() -> str:
    return g.get("limit_zone", DEFAULT_TIMEZONE)


def local_now() -> datetime:
    return utcnow().astimezone(ZoneInfo(limit_zone()))


def limit_day() -> str:
    return local_now().date().isoformat()


def device_key() -> str:
    return limit_key("device", device_id() or "", limit_day())


def address_key() -> str:
    return limit_key("address", address_block(request.remote_addr or ""), limit_day())


def no_device_key() -> str:
    return limit_key("no-device", address_block(request.remote_addr or ""), limit_day())


def has_device() -> bool:
    return device_id() is not None


def lacks_device() -> bool:
    return device_id() is None


def setting(name: str) -> Callable[[], str]:
    """A limit read from the app's settings at each request, so that each deployment (and test) sets its own."""
    return lambda: current_app.config[name]


@limiter.request_filter
def reading() -> bool:
    """Every limit of this site counts a form's POSTs (residents' reports and lookups, staff logins): reading a page
    is never limited. Said once, so that a GET skips resolving and filtering each of its route's limits (a sixth of
    the form page's CPU); a limit on GETs would have to be taken out of here."""
    return request.method in ("GET", "HEAD")


def resident_limits(device_setting: str, address_setting: str) -> Callable[[View], View]:
    """Limits on a resident's form view: its POSTs count per device (without a valid device cookie, in the
    strict bucket of the address instead) and per address."""
    route_limits = (
        limiter.limit(setting(device_setting), key_func=device_key, exempt_when=lacks_device, methods=["POST"]),
        limiter.limit(setting("NO_DEVICE_LIMIT"), key_func=no_device_key, exempt_when=has_device, methods=["POST"]),
        limiter.limit(setting(address_setting), key_func=address_key, methods=["POST"]),
    )

    def decorate(view: View) -> View:
        for route_limit in route_limits:
            view = cast(View, route_limit(view))  # Flask-Limiter's wrapper keeps the view's signature (functools.wraps)
        return view

    return decorate


def seconds_until_reset() -> int | None:
    """Seconds until the limit that was hit frees up, to tell the resident when to come back: the end of its
    window, or the next midnight of the day its key holds when that comes first."""
    limit = limiter.current_limit
    if limit is None:
        return None
    left = limit.reset_at - time.time()
    if "limit_zone" in g:  # a resident's key, which holds the round's day (staff keys have no window of a day)
        now = local_now()
        midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), now.tzinfo)
        left = min(left, midnight.timestamp() - now.timestamp())
    return max(1, int(left))  # reset_at is whole seconds: floor, or 60 s reads as 2 min


def retry_after(seconds: int | None) -> dict[str, str]:
    """The 429's Retry-After header, for `seconds_until_reset`."""
    return {"Retry-After": str(seconds)} if seconds else {}


def round_ceiling() -> RateLimitItem:
    """SUBMIT_ROUND_LIMIT: the submissions a round takes in its window before it counts as flooded."""
    return parse(current_app.config["SUBMIT_ROUND_LIMIT"])


def round_window() -> MovingWindowRateLimiter:
    # The limiter's storage (Redis when configured, else this process's memory); a moving window: the past hour.
    return MovingWindowRateLimiter(limiter.storage)


def round_key(round_id: int) -> str:
    return limit_key("round", str(round_id), "")  # no day: an hour's window runs on across midnight


def note_submission(round_id: int) -> None:
    """Count a submission to the round, accepted or not, for `round_flooded`; it refuses nothing."""
    if not limiter.enabled:  # RATELIMIT_ENABLED=False: no storage to count in
        return
    window = round_window()
    try:
        window.hit(round_ceiling(), round_key(round_id))
    except window.storage.base_exceptions:
        current_app.logger.warning("rate-limit storage unreachable: a submission to a round went uncounted")


def round_flooded(round_id: int) -> bool:
    """Whether the round took SUBMIT_ROUND_LIMIT submissions within its window (by default 600 in the past hour).

    For the captcha, which asks more of each sender while it holds, and for the admins' flood notice. False
    when the storage cannot be reached (or limits are off): a harder captcha is not worth an error page.
    """
    if not limiter.enabled:
        return False
    window = round_window()
    try:
        return not window.test(round_ceiling(), round_key(round_id))
    except window.storage.base_exceptions:
        current_app.logger.warning("rate-limit storage unreachable: a round's flood state is unknown")
        return False
