"""The poster's wording in each language it prints: Chinese first, then each of the round's other languages.

Every phrase goes through the catalogs under `force_locale`, so a county's Tibetan or Uyghur reader gets the
call to action, the scope heading, the line on naming oneself and the channels in their own language. A phrase
a catalog lacks falls back to Chinese (SPEC "Languages of a round"), and Chinese is on the page already: that
line is then left out rather than printed twice, or printed in English.
"""
from dataclasses import dataclass
from datetime import date

from babel import Locale
from flask_babel import force_locale
from flask_babel import gettext as _

from reporting.i18n import DEFAULT_LOCALE, RoundInLanguage
from reporting.models import Round

CHINESE = "zh"
# Languages a round may offer that posters do not print: English serves visitors on the site, not on a
# county's notice boards.
NOT_PRINTED = {CHINESE, "en"}
# The locale whose translations are the msgids themselves: what a missing translation comes back as.
MSGIDS = "en"
# Unicode isolates: a phone number or a date inside right-to-left words keeps its own order ("0000-1234567",
# not "1234567-0000", which the bidirectional algorithm makes of numbers after Arabic letters).
ISOLATE, END_ISOLATE = "\u2068", "\u2069"


@dataclass(frozen=True)
class Wording:
    """One language's lines of a round's posters; None where its catalog has no translation."""

    language: str
    right_to_left: bool
    name: str | None  # the round's name as its admin wrote it in this language (Chinese has it already)
    action: str | None
    scope: str | None
    contacts: list[str]


def phrases() -> dict[str, str]:
    """The poster's phrases in the current locale, their %(...)s still to be filled."""
    return {
        "action": _("Scan the code to report a problem"),
        "scope": _("What the team accepts"),
        "by_name_or_not": _("You may report under your name or anonymously"),
        "dates": _("Reports accepted from %(start)s to %(end)s"),
        "hours": _("(%(hours)s)"),
        "phone": _("Phone: %(phone)s"),
        "postal_box": _("Postal box: %(postal_box)s"),
        "email": _("Email: %(email)s"),
        "date": _("%(year)d-%(month)02d-%(day)02d"),
    }


def round_wordings(round_: Round) -> list[Wording]:
    """The wording of each printed language, Chinese first and complete; a language whose catalog has none of
    the poster's phrases is left out, so that its posters are made exactly as a Chinese round's."""
    with force_locale(MSGIDS):
        untranslated = phrases()
    with force_locale(DEFAULT_LOCALE):
        chinese = phrases()
    wordings = [wording(round_, CHINESE, chinese, set())]
    for language in (code for code in round_.languages if code not in NOT_PRINTED):
        with force_locale(language):
            own = phrases()
        missing = {key for key, text in own.items() if text in (untranslated[key], chinese[key])}
        if missing != set(own):
            wordings.append(wording(round_, language, own, missing))
    return wordings


def wording(round_: Round, language: str, phrase: dict[str, str], missing: set[str]) -> Wording:
    """The round's lines in one language from its `phrase`s, leaving out the `missing` ones; the channels as the
    admin wrote them in that language (a postal box's address in Tibetan), else as written in Chinese."""
    written = RoundInLanguage(round_, language)
    right_to_left = Locale.parse(language).text_direction == "rtl"

    def filled(key: str, **values: str) -> str | None:
        if key in missing:
            return None
        if right_to_left:
            values = {name: f"{ISOLATE}{value}{END_ISOLATE}" for name, value in values.items()}
        return phrase[key] % values

    def day(when: date) -> str:
        return phrase["date"] % {"year": when.year, "month": when.month, "day": when.day}

    dates = filled("dates", start=day(round_.starts_on), end=day(round_.ends_on))
    if dates and written.intake_hours:
        dates += filled("hours", hours=written.intake_hours) or ""
    contacts = [filled("by_name_or_not"), dates]
    for channel in ("phone", "postal_box", "email"):
        if getattr(written, channel):
            contacts.append(filled(channel, **{channel: getattr(written, channel)}))
    return Wording(language, right_to_left, written.written("name") if language != CHINESE else round_.name,
                   filled("action"), filled("scope"), [line for line in contacts if line])
