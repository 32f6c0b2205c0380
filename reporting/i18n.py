"""Language choice: Chinese (简体) by default; `?lang=zh` or `?lang=en` sets a cookie that keeps it."""
from flask import Flask, Response, has_request_context, request
from flask_babel import Babel

DEFAULT_LOCALE = "zh_Hans"
LANGUAGES = {"zh": "zh_Hans", "en": "en"}
COOKIE = "lang"
ONE_YEAR = 365 * 24 * 3600


def select_language() -> str:
    """The short code of the language of this request: the query first, then the cookie (commands: Chinese)."""
    if not has_request_context():
        return "zh"
    for choice in (request.args.get("lang"), request.cookies.get(COOKIE)):
        if choice in LANGUAGES:
            return choice
    return "zh"


def select_locale() -> str:
    return LANGUAGES[select_language()]


def remember_choice(response: Response) -> Response:
    choice = request.args.get("lang")
    if choice in LANGUAGES and choice != request.cookies.get(COOKIE):
        response.set_cookie(COOKIE, choice, max_age=ONE_YEAR, samesite="Lax", httponly=True)
    return response


def html_lang() -> str:
    """The value of <html lang>: BCP 47, not the gettext locale name."""
    return "zh-Hans" if select_language() == "zh" else "en"


def init_app(app: Flask, babel: Babel) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.after_request(remember_choice)
    app.jinja_env.globals.update(html_lang=html_lang, current_language=select_language)
