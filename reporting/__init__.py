"""The application factory: `create_app()` builds the site from REPORTING_* settings."""
import logging
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from reporting import access, audit, captcha, errors, i18n, labels, replies, scans
from reporting.config import instance_folder, load_config
from reporting.database import IdConverter, keep_sqlite_private, tune_sqlite
from reporting.extensions import babel, csrf, db, limiter, login_manager, migrate
from reporting.followup.bodies import RANKS, body_label
from reporting.followup.outcomes import wan
from reporting.jobs import runners as job_runners
from reporting.models import DEFAULT_TIMEZONE
from reporting.notice import notice_markup
from reporting.security import note_route, secure_headers
from reporting.staff.services import load_user
from reporting.text import NulFreeRequest, PathPart
from reporting.triage.rules import public_status
from reporting.uploads import PHOTO_LIMITS

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` overrides the environment (tests pass their database and keys here)."""
    app = errors.App(
        __name__,
        instance_path=str(instance_folder(PROJECT_ROOT / "instance")),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.request_class = NulFreeRequest
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["default"] = PathPart
    app.config.update(load_config(Path(app.instance_path)))
    app.config.update(
        SESSION_COOKIE_SAMESITE="Lax",
        # No X-RateLimit-* headers: each cost a storage round trip on every limited POST and told a script its
        # budget. A 429 says Retry-After itself (reporting/limits.py `retry_after`).
        RATELIMIT_HEADERS_ENABLED=False,
        # With Redis down, limits fall back to per-process memory rather than refusing every report.
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        # A failing statement's error names the statement, never its values (a report's text, a typed name).
        SQLALCHEMY_ENGINE_OPTIONS={"hide_parameters": True},
        BABEL_DEFAULT_LOCALE=i18n.DEFAULT_LOCALE,
        BABEL_DEFAULT_TIMEZONE=DEFAULT_TIMEZONE,  # staff read times as offices keep them, 北京时间, not UTC
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
    )
    app.config.update(config or {})
    # Cookies travel only over HTTPS once the site is served over it.
    if "SESSION_COOKIE_SECURE" not in (config or {}):
        app.config["SESSION_COOKIE_SECURE"] = app.config["BASE_URL"].startswith("https://")

    if app.config["PROXY_COUNT"]:
        # Trust exactly the configured hops; with none in front, a client could forge its address.
        # Replacing `wsgi_app` is Flask's documented way to add WSGI middleware; mypy sees only a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=app.config["PROXY_COUNT"], x_proto=app.config["PROXY_COUNT"]
        )
    # Werkzeug's development server logs every client address: keep it quiet if anyone runs it.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    init_extensions(app)
    app.before_request(note_route)
    app.after_request(secure_headers)
    app.jinja_env.filters["notice"] = notice_markup
    app.jinja_env.globals.update(public_status=public_status, status_labels=labels.STATUS_LABELS,
                                 channel_labels=labels.CHANNEL_LABELS,
                                 public_status_labels=labels.PUBLIC_STATUS_LABELS, event_label=labels.event_label,
                                 rating_labels=labels.RATING_LABELS,
                                 action_labels=labels.ACTION_LABELS, detail_items=audit.readable_detail,
                                 is_admin=access.is_admin, may_reveal_identity=access.may_reveal_identity,
                                 photo_limits=PHOTO_LIMITS, ranks=RANKS, body_label=body_label, wan=wan,
                                 kind_labels=labels.KIND_LABELS, outcome_labels=labels.OUTCOME_LABELS,
                                 may_follow_up=access.may_follow_up, read_only=access.read_only,
                                 oversees_team_work=access.oversees_team_work,
                                 may_approve_reply=access.may_approve_reply, may_revise_reply=access.may_revise_reply,
                                 reply_waits_for_approval=access.reply_waits_for_approval, sent_on=replies.sent_on)
    register_blueprints(app)
    register_commands(app)
    errors.register(app)
    return app


def init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "staff.login"
    login_manager.login_message = None  # the login page says what it needs; no untranslated flash
    i18n.init_app(app, babel)
    scans.init_app(app)
    captcha.init_app(app)
    job_runners.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            keep_sqlite_private(db.engine)
            tune_sqlite(db.engine)


def register_blueprints(app: Flask) -> None:
    from reporting.followup.views import blueprint as followup
    from reporting.handover.views import blueprint as handover
    from reporting.health import blueprint as health
    from reporting.intake.views import blueprint as intake
    from reporting.jobs.views import blueprint as jobs
    from reporting.queue.views import blueprint as queue
    from reporting.reports.views import blueprint as reports
    from reporting.rounds.views import blueprint as rounds
    from reporting.staff.views import blueprint as staff

    for blueprint in (health, intake, staff, reports, queue, rounds, followup, jobs, handover):
        app.register_blueprint(blueprint)


def register_commands(app: Flask) -> None:
    from reporting.backup import backup
    from reporting.catalogs import translations
    from reporting.followup.commands import transfers
    from reporting.handover.commands import handover
    from reporting.jobs.commands import jobs
    from reporting.posters.commands import qr
    from reporting.rounds.commands import demo, rounds
    from reporting.staff.commands import users

    for command in (demo, users, rounds, qr, backup, transfers, jobs, translations):
        app.cli.add_command(command)
    rounds.add_command(handover)  # `rounds handover`: the handover feature stays apart from the rounds one
