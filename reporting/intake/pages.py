"""The intake page as a poster first opens it, and the receipt page: each rendered once per key and filled in
per request.

Rendering it (thirty units, the notice, the fields' widgets) was half of the form page's CPU. The key holds every
value the page shows (the language, the poster, every column of its round, its units in order with their teams,
the captcha's digit count), so a changed round, unit or category is a new key and never a stale page. Only the
parts that differ per request are filled in: the form's CSRF token and the captcha's picture and signed challenge.
"""
import hashlib
import secrets
from collections.abc import Callable
from datetime import date

from flask import current_app, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import escape
from sqlalchemy import inspect

from reporting.captcha import Challenge
from reporting.models import QrCode, Round

PAGES = "reporting.intake_pages"
MAX_PAGES = 512  # a few megabytes; past it the pages are rendered afresh
ROUND_COLUMNS = [column.key for column in inspect(Round).column_attrs]
# Stand-ins for the per-request parts while a page is rendered for keeping: random, so no round's text holds them.
MARK = secrets.token_hex(16)
CSRF_MARK, IMAGE_MARK, CHALLENGE_MARK, RECEIPT_MARK = (f"{MARK}{part}" for part in
                                                        ("csrf", "image", "challenge", "receipt"))


def csrf_on() -> bool:
    return bool(current_app.config.get("WTF_CSRF_ENABLED", True))


def page_key(code: QrCode, digits: int | None) -> str:
    """A digest of everything the page shows."""
    round_ = code.round
    shown = (str(get_locale()), request.script_root, csrf_on(), digits, code.token, code.unit_id, code.team_id,
             [getattr(round_, column) for column in ROUND_COLUMNS],
             [(unit.id, unit.name, unit.team.position, unit.team.name) for unit in round_.units])
    return hashlib.sha256(repr(shown).encode()).hexdigest()


def first_page(code: QrCode, challenge: Challenge | None, render: Callable[[Challenge | None], str]) -> str:
    """The page for `code` with this request's token and `challenge`; `render` draws it with the given challenge
    when no kept page has its key."""
    def render_kept() -> str:
        page = render(challenge and Challenge(CHALLENGE_MARK, IMAGE_MARK, challenge.digits))
        return page.replace(generate_csrf(), CSRF_MARK) if csrf_on() else page  # the very token the form just wrote

    page = kept(page_key(code, challenge.digits if challenge else None), render_kept)
    if csrf_on():
        page = page.replace(CSRF_MARK, generate_csrf())
    if challenge:
        page = page.replace(IMAGE_MARK, escape(challenge.image)).replace(CHALLENGE_MARK,
                                                                         escape(challenge.image_challenge))
    return page


def receipt_page(receipt: str, round_name: str, day: date, render: Callable[[str], str]) -> str:
    """The receipt page with `receipt`; `render` draws it for a given receipt when no kept page has its key. It
    shows nothing else of the report: the language, the round's name and the day are the whole key."""
    shown = ("receipt", str(get_locale()), request.script_root, round_name, day.isoformat())
    key = hashlib.sha256(repr(shown).encode()).hexdigest()
    return kept(key, lambda: render(RECEIPT_MARK)).replace(RECEIPT_MARK, escape(receipt))


def kept(key: str, render: Callable[[], str]) -> str:
    """The page kept under `key`, rendered by `render` the first time."""
    pages = current_app.extensions.setdefault(PAGES, {})
    page = pages.get(key)
    if page is None:
        page = render()
        if len(pages) >= MAX_PAGES:
            pages.clear()
        pages[key] = page
    return page
