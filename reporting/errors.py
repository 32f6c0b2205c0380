"""One page per error: what went wrong in plain words and what to do next, never a stack trace."""
import logging
import traceback

from flask import Flask, current_app, has_request_context, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from reporting.access import RoundReadOnly
from reporting.extensions import db
from reporting.limits import retry_after, seconds_until_reset
from reporting.security import SealedUnderAnotherKey, request_route, residents_request

PAGES = (400, 403, 404, 405, 409, 410, 413, 429, 500, 503)
# The public forms whose fields an error page offers to send again (the staff's forms are not kept this way).
RESENDABLE = ("intake.report", "intake.status")


def render_error(code: int, headers: dict[str, str] | None = None, **context):
    """The error page; kept by no cache, as it may hold a resident's text, name or receipt to send again."""
    return render_template("errors/error.html", code=code, **context), code, {"Cache-Control": "no-store"} | (
        headers or {})


def http_error(error: HTTPException):
    status = error.code or 500  # never None here: Flask returns code-less (proxy) exceptions without a handler
    code = status if status in PAGES else 400 if status < 500 else 500
    if code == 429:
        seconds = seconds_until_reset()
        return render_error(429, retry_after(seconds), retry_after_seconds=seconds)
    return render_error(code)


def csrf_error(error: CSRFError):
    """An expired or missing form token; forms that must keep what was typed handle it themselves."""
    return render_error(400, reason="csrf")


class App(Flask):
    """Flask, logging a failed request by its route (never a poster's token) and a database error without
    the values it was given: PostgreSQL's DETAIL quotes the failing row (a report's text, a typed name)."""

    def log_exception(self, exc_info) -> None:
        error = exc_info[1]
        if isinstance(error, DBAPIError):
            frames = "".join(traceback.format_tb(exc_info[2]))
            self.logger.error("Exception on %s: %s\n%s", request_route(), redacted(error), frames)
        else:
            self.logger.error("Exception on %s", request_route(), exc_info=exc_info)


def day_only_for_residents(record: logging.LogRecord) -> bool:
    """A log line about a resident's request keeps its day, not its time, like the access log: joined with a
    proxy's log, the time of a failed report would name an anonymous reporter."""
    if has_request_context() and residents_request():
        record.created -= record.created % 86400
        record.msecs = 0
    return True


def redacted(error: DBAPIError) -> str:
    """What the log may say of a database error: its kind, the server's code and the statement (no values)."""
    return f"{type(error.orig).__name__} (sqlstate {getattr(error.orig, 'sqlstate', None)}) in: {error.statement}"


def round_read_only(error: RoundReadOnly):
    """A change to a round closed and handed over, from any page: nothing was changed, and the page says why."""
    db.session.rollback()
    return render_error(409, reason="read_only", round_name=error.round.name)


def database_error(error: OperationalError):
    """A lost connection is an outage: 503, try again. Any other OperationalError (an unmigrated database, a
    locked file) is a fault someone must fix: logged, and a 500 rather than a silent 'try later'."""
    current_app.logger.error("database error on %s: %s", request_route(), redacted(error))
    db.session.rollback()
    lost = error.connection_invalidated or error.statement is None  # no statement: connecting failed
    return render_error(503 if lost else 500, **kept_form())


def pool_exhausted(error: PoolTimeout):
    current_app.logger.error("no database connection free on %s", request_route())
    db.session.rollback()
    return render_error(503, **kept_form())


def wrong_data_key(error: SealedUnderAnotherKey):
    """Not a bug to retry: the host runs with another data key than the one the secret was written with."""
    current_app.logger.error("%s: sealed under another REPORTING_DATA_KEY on %s", error, request_route())
    db.session.rollback()
    return render_error(500, reason="data_key")


def internal_error(error: Exception):
    db.session.rollback()
    return render_error(500, **kept_form())


def kept_form() -> dict:
    """What a resident posted to a public form, for the error page to offer again: nothing typed is lost."""
    if request.method == "POST" and request.endpoint in RESENDABLE:
        return {"typed": request.form, "resend_to": request.path}
    return {}


def register(app: Flask) -> None:
    app.logger.addFilter(day_only_for_residents)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(RoundReadOnly, round_read_only)
    app.register_error_handler(OperationalError, database_error)
    app.register_error_handler(PoolTimeout, pool_exhausted)
    app.register_error_handler(SealedUnderAnotherKey, wrong_data_key)
    app.register_error_handler(500, internal_error)
