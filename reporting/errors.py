"""One page per error: what went wrong in plain words and what to do next, never a stack trace."""
import time

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError, TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from reporting.extensions import db, limiter

PAGES = (400, 403, 404, 405, 410, 413, 429, 500, 503)
# The public forms whose fields an error page offers to send again (the staff's forms are not kept this way).
RESENDABLE = ("intake.report", "intake.status")


def render_error(code: int, **context):
    return render_template("errors/error.html", code=code, **context), code


def http_error(error: HTTPException):
    code = error.code if error.code in PAGES else 400 if error.code < 500 else 500
    if code == 429:
        return render_error(429, retry_after_seconds=seconds_until_reset())
    return render_error(code)


def csrf_error(error: CSRFError):
    """An expired or missing form token; forms that must keep what was typed handle it themselves."""
    return render_error(400, reason="csrf")


def database_unavailable(error: Exception):
    db.session.rollback()
    return render_error(503, **kept_form())


def internal_error(error: Exception):
    db.session.rollback()
    return render_error(500, **kept_form())


def kept_form() -> dict:
    """What a resident posted to a public form, for the error page to offer again: nothing typed is lost."""
    if request.method == "POST" and request.endpoint in RESENDABLE:
        return {"typed": request.form, "resend_to": request.path}
    return {}


def seconds_until_reset() -> int | None:
    """Seconds until the limit that was hit frees up, to tell the resident when to come back."""
    limit = limiter.current_limit
    if limit is None:
        return None
    return max(1, int(limit.reset_at - time.time()))  # reset_at is whole seconds: floor, or 60 s reads as 2 min


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(OperationalError, database_unavailable)
    app.register_error_handler(PoolTimeout, database_unavailable)
    app.register_error_handler(500, internal_error)
