"""What a QR code points to: its random token and the intake URL printed into it. Below both the rounds'
admin pages and the posters, which each need them."""
import re
import secrets

from flask import current_app, url_for
from flask_babel import gettext as _

from reporting.models import QrCode, Round, Team, Unit


def new_token() -> str:
    """96 random bits, URL-safe: unguessable, yet short enough for a low-density, robust QR code."""
    return secrets.token_urlsafe(12)


def intake_url(code: QrCode) -> str:
    return f"{current_app.config['BASE_URL']}/r/{code.token}"


UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def download_name(code: QrCode) -> str:
    """A code's image named as the admin will look for it among hundreds: round, unit (or team), place."""
    place = _("The round's own code") if code.is_round_code else code.label
    owner = code.unit or code.team
    parts = [code.round.name, owner.name if owner else "", place]
    return "-".join(UNSAFE_IN_FILE_NAMES.sub("_", part.strip()) for part in parts if part.strip())


def lookup_url() -> str:
    """Where a resident checks a report: printed on the receipt, so that a screenshot alone leads back."""
    return current_app.config["BASE_URL"] + url_for("intake.status")


def location_code(round_: Round, unit: Unit | None, label: str, team: Team | None = None) -> QrCode:
    """A new code for one posting place, pinned to its unit and that unit's team, or to a team only (a team's
    office door), not yet added to a session: the admin page, `rounds import` and `qr posters` all make their codes
    here."""
    return QrCode(round=round_, unit=unit, team=unit.team if unit else team, label=label, token=new_token())
