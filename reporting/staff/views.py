"""Staff login, the own account, and the admin's pages for accounts and the audit log."""
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from reporting import audit
from reporting.access import is_admin
from reporting.database import given_day, positive_id
from reporting.extensions import db, limiter
from reporting.labels import AUDIT_LABELS
from reporting.models import DEFAULT_TIMEZONE, Round, StaffUser, Team, midnight_in
from reporting.staff import auth
from reporting.staff.forms import ROLE_LABELS, LoginForm, NewUserForm, PasswordForm, TotpForm, UserForm
from reporting.staff.services import AccountError, create_staff_user, set_password, update_staff_user

blueprint = Blueprint("staff", __name__)
AUDIT_PAGE = 100


@blueprint.before_app_request
def guard_staff_session():
    """Idle sessions end; an admin who must set up a second factor reaches only their account."""
    if not current_user.is_authenticated:
        return None
    expired = auth.session_expired()
    if expired:
        auth.end_session(current_user, f"logout.{expired}")
        flash(_("Your session ended after 30 minutes without activity. Please log in again.") if expired == "idle"
              else _("Your session ended after 12 hours. Please log in again."))
        return redirect(url_for("staff.login", next=request.full_path))
    allowed = {"staff.account", "staff.totp", "staff.logout", "static"}
    if auth.needs_second_factor(current_user) and request.endpoint not in allowed:
        flash(_("Administrators must set up a second factor before going on."))
        return redirect(url_for("staff.account"))
    return None


def admin_only() -> None:
    if not is_admin(current_user):
        abort(403)


def safe_next(target: str | None) -> str:
    """Only a path on this site: a login link must not send staff elsewhere."""
    target = target or ""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return url_for("queue.index")
    return target


@blueprint.route("/staff/login", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = auth.authenticate(form.username.data, form.password.data, form.code.data)
        except auth.LoginFailed:  # throttled or wrong: the same answer, so that it tells no one which names exist
            return render_template("staff/login.html", form=form, failed=True), 401
        auth.start_session(user)
        return redirect(safe_next(request.args.get("next")))
    return render_template("staff/login.html", form=form), 400 if form.is_submitted() else 200


@blueprint.post("/staff/logout")
@login_required
def logout():
    auth.end_session(current_user)
    return redirect(url_for("staff.login"))


@blueprint.route("/staff/account", methods=["GET", "POST"])
@login_required
def account():
    form = PasswordForm()
    if form.validate_on_submit():
        if current_password_matches(form):
            set_password(current_user, form.new.data)
            auth.continue_session(current_user)
            flash(_("Your password was changed."))
            return redirect(url_for("staff.account"))
    return render_account(form, TotpForm(formdata=None), 400 if form.errors else 200)


def current_password_matches(form: PasswordForm) -> bool:
    """The same throttled check as the login: a stolen session cannot guess the password here either."""
    try:
        if auth.check_password(current_user, form.current.data):
            return True
        form.current.errors = [_("This is not your current password.")]
    except auth.LoginThrottled as throttled:
        form.current.errors = [throttle_message(throttled.seconds)]
    db.session.commit()
    return False


def throttle_message(seconds: int) -> str:
    return _("Too many wrong passwords for this account. Try again in %(minutes)d minute(s).",
             minutes=(seconds + 59) // 60)


def render_account(form: PasswordForm, totp_form: TotpForm, status: int = 200, **context):
    secret = None if current_user.totp_secret else auth.pending_totp_secret(current_user)
    return render_template("staff/account.html", form=form, totp_form=totp_form, secret=secret,
                           totp_uri=auth.totp_uri(current_user, secret) if secret else None, **context), status


@blueprint.post("/staff/account/totp")
@login_required
def totp():
    form = TotpForm()
    try:
        if form.validate() and auth.enable_totp(current_user, form.password.data, form.code.data):
            flash(_("The second factor is set up: log in with a code from now on."))
            return redirect(url_for("staff.account"))
    except auth.LoginThrottled as throttled:
        form.password.errors = [throttle_message(throttled.seconds)]
    return render_account(PasswordForm(formdata=None), form, 400, totp_failed=not form.errors)


@blueprint.get("/admin/users")
@login_required
def users():
    admin_only()
    accounts = db.session.scalars(select(StaffUser).order_by(StaffUser.username)).all()
    return render_template("staff/users.html", accounts=accounts)


@blueprint.route("/admin/users/new", methods=["GET", "POST"], defaults={"user_id": None})
@blueprint.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit_user(user_id: int | None):
    admin_only()
    user = db.session.get(StaffUser, user_id) if user_id else None
    if user_id and user is None:
        abort(404)
    form = (UserForm if user else NewUserForm)(obj=user, team_ids=[team.id for team in user.teams] if user else [])
    form.team_ids.choices = team_choices(user)
    if form.validate_on_submit():
        try:
            changed = save_user(user, form)
        except AccountError as error:
            form.password.errors = [str(error)]
        else:
            flash(_("The account was saved.") if changed else _("Nothing was changed."))
            return redirect(url_for("staff.users"))
    return render_template("staff/user.html", form=form, user=user), 400 if form.errors else 200


@blueprint.post("/admin/users/<int:user_id>/reset-2fa")
@login_required
def reset_second_factor(user_id: int):
    """An admin clears a staff member's lost second factor; audited, and the account's sessions end."""
    admin_only()
    user = db.session.get(StaffUser, user_id) or abort(404)
    auth.reset_totp(user, actor=current_user)
    flash(_("The second factor of %(name)s was cleared. They set up a new one after logging in.",
            name=user.shown_name))
    return redirect(url_for("staff.edit_user", user_id=user.id))


def team_choices(user: StaffUser | None) -> list[tuple[int, str]]:
    """Teams of rounds not yet closed, newest round first, and the teams the account already has (an old round's
    team stays ticked until the admin unticks it)."""
    kept = [team.id for team in user.teams] if user else []
    teams = db.session.execute(
        select(Team.id, Team.name, Round.name).join(Round, Team.round_id == Round.id)
        .where(or_(Round.status != "closed", Team.id.in_(kept))).order_by(Round.id.desc(), Team.position))
    return [(team_id, f"{round_name} · {team_name}") for team_id, team_name, round_name in teams]


def save_user(user: StaffUser | None, form: UserForm) -> bool:
    """Create or update the account; False when an existing one was saved unchanged."""
    if user is None:
        create_staff_user(form.username.data, form.password.data or "", form.role.data, form.team_ids.data,
                          actor=current_user, display_name=form.display_name.data)
        return True
    return update_staff_user(user, role=form.role.data, team_ids=form.team_ids.data, active=form.active.data,
                             password=form.password.data or None, actor=current_user,
                             display_name=form.display_name.data)


@blueprint.get("/admin/audit")
@login_required
def audit_log():
    """Every audit event, newest first, filtered by action, account or report, a page at a time."""
    admin_only()
    action = request.args.get("action", "").strip()
    filters = {"action": action if action in AUDIT_LABELS else "", "actor": request.args.get("actor", "").strip(),
               "report_id": positive_id(request.args.get("report"))}
    days = {"from": given_day(request.args.get("from")), "to": given_day(request.args.get("to"))}
    events = audit.events(**filters, before=positive_id(request.args.get("before")), size=AUDIT_PAGE,
                          since=days["from"] and midnight_in(days["from"], DEFAULT_TIMEZONE),
                          until=days["to"] and midnight_in(days["to"] + timedelta(days=1), DEFAULT_TIMEZONE))
    older = events[-1].id if len(events) == AUDIT_PAGE else None
    return render_template("staff/audit.html", events=events, older=older, days=days, actions=AUDIT_LABELS,
                           **filters)


@blueprint.app_template_global()
def role_label(role: str) -> str:
    return str(ROLE_LABELS[role])
