"""A report's page on the staff side, its triage, notes and replies, identity, attachments; offline items."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from reporting.access import (
    NotAllowed,
    can_see,
    may_approve_reply,
    may_revise_reply,
    may_route,
    read_only,
    report_or_404,
    rounds_for,
    teams_of,
)
from reporting.database import positive_id
from reporting.errors import render_error
from reporting.extensions import db
from reporting.followup.bodies import choices, suggested_body
from reporting.followup.forms import RankForm
from reporting.followup.outcomes import kinds_of
from reporting.models import GROUP_VISIT_MIN, Round, today_in
from reporting.reports import replies, services
from reporting.reports.forms import ApproveReplyForm, MessageForm, OfflineReportForm, ReturnReplyForm, ReviseReplyForm
from reporting.triage.duplicates import suggest_duplicates
from reporting.triage.rules import DISPOSALS, InvalidFields, TriageError, allowed_actions
from reporting.triage.services import apply_action
from reporting.uploads import ImageRefused, clean_scans, refusal_message

blueprint = Blueprint("reports", __name__, url_prefix="/staff")
IDENTITY_SHOWN = "identity_shown"  # the report whose identity the next page view shows, after an audited reveal


def render_report(report, status: int = 200, identity=None, triage_errors=None, message_form=None,
                  review_errors=None):
    history = services.history(report)
    html = render_template(
        "reports/report.html", report=report, identity=identity, triage_errors=triage_errors or {},
        review_errors=review_errors or {},
        actions=[] if read_only(report.round) else allowed_actions(current_user.role, report.status,
                                                                    report.team_id is not None),
        history=history, message_form=message_form or MessageForm(formdata=None),
        proposed=services.proposal_event(history) if report.proposal else None,
        returned=services.last_event(history, "triage.return") if report.proposal_returned else None,
        missing_files=services.missing_files(report.attachments),
        suggestions=[other for other in suggest_duplicates(report) if can_see(current_user, other)],
        posted=request.form if triage_errors else {},
        age_days=(today_in(report.round.timezone) - report.received_on).days,
        disposal_options=[(disposal, disposal) for disposal in DISPOSALS],
        team_options=[(team.id, team.name) for team in report.round.teams],
        assignees=[(user.id, user.shown_name) for user in services.assignable_staff(report)],
        body_options=[(body, body) for body in choices(report.round.receiving_bodies)],
        suggested_body=suggested_body(report.round.receiving_bodies, report.round.rank_bodies, report.subject_rank),
        rank_form=RankForm(formdata=None, rank=report.subject_rank),
        outcome_kinds=kinds_of(report.clue_number, report.transferred_on),
    )
    return html, status


@blueprint.get("/reports/<int:report_id>")
@login_required
def report(report_id: int):
    found = report_or_404(current_user, report_id)
    services.open_report(current_user, found)
    revealed = session.pop(IDENTITY_SHOWN, None) == found.id
    return render_report(found, identity=(services.identity_after_reveal(current_user, found) or {}) if revealed
                         else None)


@blueprint.post("/reports/<int:report_id>/triage")
@login_required
def triage(report_id: int):
    found = report_or_404(current_user, report_id)
    fields = {key: value for key, value in request.form.items() if key not in ("action", "csrf_token")}
    try:
        apply_action(found, current_user, request.form.get("action", ""), fields)
    except InvalidFields as error:
        return render_report(found, 400, triage_errors=error.errors)
    except NotAllowed:
        return render_report(found, 403, triage_errors={"action": _("Your role may not do this.")})
    except TriageError:
        return render_report(found, 409, triage_errors={"action": _("This action is not possible now.")})
    flash(_("Saved."))
    return redirect(url_for("reports.report", report_id=found.id))


@blueprint.post("/reports/<int:report_id>/messages")
@login_required
def messages(report_id: int):
    found = report_or_404(current_user, report_id)
    form = MessageForm()
    if not form.validate():
        return render_report(found, 400, message_form=form)
    message = services.add_message(current_user, found, form.kind.data, form.body.data)
    flash(_("The reply waits for a leader's approval; the reporter reads it once approved.") if message.review
          else _("Saved."))
    return redirect(url_for("reports.report", report_id=found.id))


@blueprint.post("/reports/<int:report_id>/replies/<int:message_id>/<any(approve, return):review>")
@login_required
def review_reply(report_id: int, message_id: int, review: str):
    """A leader approves a member's draft reply (perhaps edited), or returns it with a note."""
    found = report_or_404(current_user, report_id)
    draft = replies.draft_of(found, message_id)
    if draft is None:
        abort(404)
    if not may_approve_reply(current_user, found):
        abort(403)
    form = ApproveReplyForm() if review == "approve" else ReturnReplyForm()
    if not form.validate():
        return render_report(found, 400, review_errors={draft.id: form.errors})
    try:
        if isinstance(form, ApproveReplyForm):
            replies.approve(current_user, found, draft, form.body.data)
        else:
            replies.send_back(current_user, found, draft, form.note.data)
    except replies.NotWaiting:
        return render_report(found, 409, triage_errors={"action": _("This reply was already approved or returned.")})
    flash(_("The reply was approved: the reporter reads it now.") if review == "approve"
          else _("The reply went back to its author with your note."))
    return redirect(url_for("reports.report", report_id=found.id, _anchor=f"message-{draft.id}"))


@blueprint.post("/reports/<int:report_id>/replies/<int:message_id>/revise")
@login_required
def revise_reply(report_id: int, message_id: int):
    """The author of a returned draft rewrites it; it waits for a leader again."""
    found = report_or_404(current_user, report_id)
    draft = replies.draft_of(found, message_id)
    if draft is None:
        abort(404)
    if not may_revise_reply(current_user, found, draft):
        abort(403)
    form = ReviseReplyForm()
    if not form.validate():
        return render_report(found, 400, review_errors={draft.id: form.errors})
    try:
        replies.revise(current_user, found, draft, form.body.data)
    except replies.NotReturned:
        return render_report(found, 409, triage_errors={"action": _("This reply was already revised.")})
    flash(_("The revised reply waits for a leader's approval.") if draft.review
          else _("The revised reply was sent: the reporter reads it now."))
    return redirect(url_for("reports.report", report_id=found.id, _anchor=f"message-{draft.id}"))


@blueprint.post("/reports/<int:report_id>/identity")
@login_required
def identity(report_id: int):
    found = report_or_404(current_user, report_id)
    try:
        services.reveal_identity(current_user, found)
    except NotAllowed:
        abort(403)
    session[IDENTITY_SHOWN] = found.id  # the page shows it once; a reload shows the report without it
    return redirect(url_for("reports.report", report_id=found.id, _anchor="identity"))


@blueprint.get("/attachments/<int:attachment_id>")
@login_required
def attachment(attachment_id: int):
    found = services.attachment_for(current_user, attachment_id)
    if found is None:
        abort(404)
    data = services.attachment_data(found)
    if data is None:
        return render_error(404, reason="file_missing")
    response = Response(data, mimetype=found.content_type)  # `no-store` as every staff page (secure_headers)
    saved_as = services.download_name(found)
    if saved_as:
        response.headers["Content-Disposition"] = f'attachment; filename="{saved_as}"'
    return response


@blueprint.route("/reports/new", methods=["GET", "POST"])
@login_required
def new_report():
    """Record a letter, visit, call or email: first the round, then the item."""
    rounds = rounds_for(current_user)
    round_ = db.session.get(Round, positive_id(request.args.get("round")) or 0)
    if round_ is None or round_ not in rounds:
        if len(rounds) != 1:
            return render_template("reports/choose_round.html", rounds=rounds)
        round_ = rounds[0]
    teams = teams_of(current_user, round_)
    form = OfflineReportForm(round_, teams, allow_unrouted=may_route(current_user))
    if not form.validate_on_submit():
        return render_new(form, round_, 400 if form.is_submitted() else 200)
    try:
        saved = services.record_offline(current_user, round_, form.submission(), clean_scans(form.attachments.data),
                                        form.origin())
    except ImageRefused as refused:
        form.attachments.errors = [refusal_message(refused)]
        return render_new(form, round_, 400)
    except NotAllowed:
        abort(403)
    flash(_("The item was recorded."))
    return redirect(url_for("reports.report", report_id=saved.id))


def render_new(form: OfflineReportForm, round_: Round, status: int):
    return render_template("reports/new.html", form=form, round=round_, group_visit_min=GROUP_VISIT_MIN), status
