"""The staff queue (`GET /staff/`), its figures (`/staff/stats`, `.xlsx`), the ledger exports (`/staff/export.*`;
a ledger past REPORTING_EXPORT_JOB_ROWS rows is made by a background job) and the open work per member
(`/staff/workload`)."""
from flask import Blueprint, Response, abort, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user, login_required

from reporting.access import oversees_team_work
from reporting.database import positive_id
from reporting.errors import render_error
from reporting.followup.charts import label
from reporting.limits import round_ceiling
from reporting.models import DEFAULT_TIMEZONE, Job, today_in
from reporting.queue.exports import ledger_filename, ledger_or_job
from reporting.queue.forms import filter_form
from reporting.queue.ledger import MEDIA_TYPES, UnknownSheet
from reporting.queue.services import (
    QueueFilters,
    assignee_shown,
    filter_choices,
    flooded_rounds,
    matching_total,
    numbered_report,
    queue_page,
    status_counts,
    unrouted_count,
    waiting_replies,
)
from reporting.queue.sheets import SHEETS
from reporting.queue.stats import spreadsheet, stats
from reporting.queue.workload import workload

blueprint = Blueprint("queue", __name__, url_prefix="/staff")


@blueprint.get("/")
@login_required
def index():
    filters = QueueFilters.from_args(request.args, current_user)
    if (number := numbered_report(current_user, filters.q)) is not None:
        return redirect(url_for("reports.report", report_id=number))
    before_id = positive_id(request.args.get("before"))
    return render_template(
        "queue/index.html",
        page=queue_page(current_user, filters, before_id),
        paged=before_id is not None,
        args=filters.as_args(),
        counts=status_counts(current_user, filters),
        total=matching_total(current_user, filters),
        unrouted=unrouted_count(current_user),
        waiting_replies=waiting_replies(current_user),
        flooded=flooded_rounds(current_user),
        ceiling=round_ceiling(),
        form=filter_form(filters, filter_choices(current_user, filters.round_id, filters.team_id)),
        ledger_sheets=list(SHEETS),
        assignee=assignee_shown(filters),
    )


@blueprint.get("/workload")
@login_required
def workload_page():
    """Open work per member of the teams the user oversees; members are refused (403)."""
    if not oversees_team_work(current_user):
        abort(403)
    return render_template("queue/workload.html", teams=workload(current_user, today_in(DEFAULT_TIMEZONE)))


@blueprint.get("/stats")
@login_required
def stats_page():
    """Figures of the chosen rounds (the newest the user may see unless some are chosen), with their charts."""
    found = stats(current_user, request.args, today_in(DEFAULT_TIMEZONE))
    return render_template("queue/stats.html", stats=found, label=label)


@blueprint.get("/stats.xlsx")
@login_required
def stats_xlsx():
    found = stats(current_user, request.args, today_in(DEFAULT_TIMEZONE))
    if found.figures is None:
        abort(404)
    filename = f"figures-{today_in(DEFAULT_TIMEZONE).isoformat()}.xlsx"
    return Response(spreadsheet(found.figures, found.chosen), mimetype=MEDIA_TYPES["xlsx"], headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@blueprint.get("/export.<any(csv, xlsx):file_format>")
@login_required
def export(file_format: str):
    """The ledger as a download, streamed as it is written: the workbook of three sheets, or one sheet as CSV
    (`sheet=台账|问题线索|移交`); no page of it is ever cached. A large one is made by a job, whose page offers
    it once ready."""
    try:
        chunks = ledger_or_job(current_user, QueueFilters.from_args(request.args, current_user), file_format,
                               request.args.get("sheet"))
    except UnknownSheet:
        return render_error(400, reason="sheet", sheets=list(SHEETS))
    if isinstance(chunks, Job):
        return redirect(url_for("jobs.show", job_id=chunks.id))
    return Response(stream_with_context(chunks), mimetype=MEDIA_TYPES[file_format], headers={
        "Content-Disposition": f'attachment; filename="{ledger_filename(file_format)}"',
    })
