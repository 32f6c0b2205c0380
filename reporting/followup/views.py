"""Follow-through pages: a reported cadre's rank, an outcome form, 督办 (overdue transfers and reminders)."""
from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from reporting.access import NotAllowed, may_follow_up, report_or_404
from reporting.followup import services
from reporting.followup.forms import OutcomeForm, RankForm, ReminderForm
from reporting.followup.outcomes import KINDS, OutcomeRefused, kinds_of, wan
from reporting.models import DEFAULT_TIMEZONE, Report, today_in

blueprint = Blueprint("followup", __name__, url_prefix="/staff")


def followed_or_403(report_id: int) -> Report:
    """A report the user sees (else 404) and may follow up (else 403: a member sees it but may not)."""
    report = report_or_404(current_user, report_id)
    if not may_follow_up(current_user):
        abort(403)
    return report


def back_to(report: Report):
    return redirect(url_for("reports.report", report_id=report.id))


@blueprint.post("/reports/<int:report_id>/rank")
@login_required
def rank(report_id: int):
    report = report_or_404(current_user, report_id)
    form = RankForm()
    if not form.validate():
        abort(400)
    services.set_rank(current_user, report, form.rank.data)
    flash(_("Saved."))
    return back_to(report)


@blueprint.route("/reports/<int:report_id>/outcomes/<kind>", methods=["GET", "POST"])
@login_required
def outcome(report_id: int, kind: str):
    report = followed_or_403(report_id)
    if kind not in KINDS or kind not in kinds_of(report.clue_number, report.transferred_on):
        abort(404)
    recorded = services.outcome_of(report, kind)
    form = OutcomeForm(obj=recorded, data={"money_wan": Decimal(wan(recorded.money_yuan))} if recorded else None)
    if form.validate_on_submit():
        try:
            services.record_outcome(current_user, report, kind, form.concluded_on.data, form.counts(),
                                    form.money_yuan())
        except (NotAllowed, OutcomeRefused):  # the report changed since the page was drawn
            abort(409)
        flash(_("Saved."))
        return back_to(report)
    return render_template("followup/outcome.html", report=report, kind=kind, form=form), \
        400 if form.errors else 200


@blueprint.get("/transfers/overdue")
@login_required
def overdue():
    if not may_follow_up(current_user):
        abort(403)
    today = today_in(DEFAULT_TIMEZONE)
    after = request.args.get("after")
    page = services.overdue_transfers(current_user, today, after, services.OVERDUE_PAGE)
    return render_template("followup/overdue.html", page=page, today=today, paged=bool(after))


@blueprint.route("/transfers/<int:report_id>/reminders", methods=["GET", "POST"])
@login_required
def reminder(report_id: int):
    report = followed_or_403(report_id)
    if report.status != "transferred":
        abort(404)
    form = ReminderForm()
    if form.validate_on_submit():
        try:
            services.record_reminder(current_user, report, form.kind.data, form.sent_on.data, form.reference.data)
        except OutcomeRefused:
            abort(409)
        flash(_("Saved."))
        return redirect(url_for("followup.overdue"))
    return render_template("followup/reminder.html", report=report, form=form), 400 if form.errors else 200
