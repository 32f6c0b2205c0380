"""The site's languages. Chinese (简体) by default; `?lang=CODE` sets a cookie that keeps the choice.

Staff pages speak Chinese or English. A resident's page also speaks the minority languages of its round (SPEC
"Languages of a round"); a page of no round (the landing page, `/status`, a 404) speaks any of them and offers
the languages of every open round. Another language needs its catalog and one `Language` line below.
"""
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, Response, g, has_request_context, request
from flask_babel import Babel
from markupsafe import Markup
from sqlalchemy import select

from reporting.extensions import db
from reporting.models import Round, utcnow

DEFAULT_LOCALE = "zh_Hans"
COOKIE = "lang"
ONE_YEAR = 365 * 24 * 3600
# Blueprints whose pages residents read; None is a page no route matched (a 404).
PUBLIC_BLUEPRINTS = ("intake", None)


@dataclass(frozen=True)
class Language:
    code: str  # in `?lang=`, the cookie and `Round.languages`
    locale: str  # the catalog's folder under reporting/translations
    tag: str  # BCP 47, for `<html lang>` and `hreflang`
    native: str  # how the switch names it, in its own script
    rtl: bool = False
    font: bool = False  # served its own font (static/css/lang-CODE.css): phones often lack one for the script


SITE_LANGUAGES = (
    Language("zh", "zh_Hans", "zh-Hans", "中文"),
    Language("bo", "bo", "bo", "བོད་ཡིག", font=True),
    Language("ug", "ug", "ug", "ئۇيغۇرچە", rtl=True, font=True),
    Language("en", "en", "en", "English"),
)
LANGUAGES = {language.code: language for language in SITE_LANGUAGES}
# What an admin may write for each of a round's languages; the rest of a round reads the same in every language.
WRITTEN_FIELDS = ("name", "notice", "intake_hours", "phone", "postal_box", "email")
EVERYWHERE = ("zh", "en")  # SPEC: Chinese and English stay available on every page
ROUND_LANGUAGES = tuple(code for code in LANGUAGES if code != "zh")  # what a round may list beside Chinese
MINORITY_LANGUAGES = tuple(code for code in LANGUAGES if code not in EVERYWHERE)  # catalogs of drafts to review


def unknown_languages(codes: list[str]) -> list[str]:
    """The codes a round may not list: none the site has a catalog for, and not Chinese, which it always speaks."""
    return [code for code in codes if code not in ROUND_LANGUAGES]


def use_round(round_: Round) -> None:
    """This request shows a page of `round_`: it speaks Chinese, English and the round's own languages."""
    g.round_languages = tuple(round_.languages)


def accepted() -> tuple[str, ...]:
    """The codes this request's page may be shown in."""
    if request.blueprint not in PUBLIC_BLUEPRINTS:
        return EVERYWHERE
    if "round_languages" in g:
        return (*EVERYWHERE, *g.round_languages)
    return tuple(LANGUAGES)


def select_language() -> str:
    """The short code of the language of this request: the query first, then the cookie (commands: Chinese)."""
    if not has_request_context():
        return "zh"
    for choice in (request.args.get("lang"), request.cookies.get(COOKIE)):
        if choice in accepted():
            return choice
    return "zh"


def select_locale() -> str:
    return LANGUAGES[select_language()].locale


def page_language() -> Language:
    return LANGUAGES[select_language()]


def remember_choice(response: Response) -> Response:
    choice = request.args.get("lang")
    if choice in accepted() and choice != request.cookies.get(COOKIE):
        response.set_cookie(COOKIE, choice, max_age=ONE_YEAR, samesite="Lax", httponly=True)
    return response


def open_rounds_languages() -> set[str]:
    """The languages of every round that may be open now (the day's margin fits any time zone)."""
    today = utcnow().date()
    day = timedelta(days=1)
    lists = db.session.scalars(select(Round.languages).where(
        Round.status == "open", Round.starts_on <= today + day, Round.ends_on >= today - day))
    return {code for codes in lists for code in codes}


def offered_languages() -> list[Language]:
    """The switch's languages: those of the page's round, or on a page of no round those of every open round."""
    codes = set(accepted())
    if request.blueprint in PUBLIC_BLUEPRINTS and "round_languages" not in g:
        codes = {*EVERYWHERE, select_language(), *open_rounds_languages()}
    return [language for language in SITE_LANGUAGES if language.code in codes]


def lang_attribute(tag: str) -> Markup:
    """` lang="TAG"` for text in another language than its page's (a Chinese unit name on a Tibetan page), so that
    the browser draws it with Chinese glyphs and a screen reader reads it with a Chinese voice; else nothing."""
    if has_request_context() and tag == page_language().tag:
        return Markup("")
    return Markup(' lang="{}"').format(tag)


def in_chinese() -> Markup:
    """The attribute for what is only ever written in Chinese (units, teams): nothing on a Chinese page."""
    return lang_attribute(LANGUAGES["zh"].tag)


class RoundInLanguage:
    """A round as a page in one language shows it: what its admin wrote in that language, else the Chinese."""

    def __init__(self, round_: Round, code: str) -> None:
        self._round = round_
        self._written = round_.translations.get(code, {})
        self._tag = LANGUAGES[code].tag

    def __getattr__(self, name: str):
        return self.written(name) or getattr(self._round, name)

    def written(self, name: str) -> str:
        """What the admin wrote for the field in this language; "" where nothing was."""
        return self._written.get(name, "") if name in WRITTEN_FIELDS else ""

    def lang(self, name: str) -> Markup:
        """The `lang` attribute a written field needs as shown: none where it is in the page's language."""
        return lang_attribute(self._tag if self.written(name) else LANGUAGES["zh"].tag)

    def marked(self, name: str) -> Markup:
        """The field as HTML for a sentence, in a span naming its language where that is not the page's."""
        value, attribute = getattr(self, name), self.lang(name)
        return Markup("<span{}>{}</span>").format(attribute, value) if attribute else Markup.escape(value)


def in_language(round_: Round) -> RoundInLanguage:
    """`round_` in the language of this request's page (templates: `round | in_language`)."""
    return RoundInLanguage(round_, select_language())


def init_app(app: Flask, babel: Babel) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.after_request(remember_choice)
    app.jinja_env.globals.update(page_language=page_language, current_language=select_language,
                                 offered_languages=offered_languages, in_chinese=in_chinese)
    app.jinja_env.filters["in_language"] = in_language
