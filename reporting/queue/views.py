"""The staff queue (`GET /staff/`) and the ledger exports (`GET /staff/export.csv`, `/staff/export.xlsx`)."""
from flask import Blueprint, Response, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user, login_required

from reporting.access import rounds_for
from reporting.database import positive_id
from reporting.limits import round_ceiling
from reporting.models import Job
from reporting.queue.exports import ledger_filename, ledger_or_job
from reporting.queue.forms import filter_form
from reporting.queue.ledger import MEDIA_TYPES
from reporting.queue.services import (
    QueueFilters,
    filter_choices,
    flooded_rounds,
    queue_page,
    status_counts,
    unrouted_count,
)
from reporting.queue.stats import round_figures

blueprint = Blueprint("queue", __name__, url_prefix="/staff")


@blueprint.get("/")
@login_required
def index():
    filters = QueueFilters.from_args(request.args)
    before_id = positive_id(request.args.get("before"))
    return render_template(
        "queue/index.html",
        page=queue_page(current_user, filters, before_id),
        paged=before_id is not None,
        args=filters.as_args(),
        counts=status_counts(current_user, filters),
        unrouted=unrouted_count(current_user),
        flooded=flooded_rounds(current_user),
        ceiling=round_ceiling(),
        form=filter_form(filters, filter_choices(current_user, filters.round_id, filters.team_id)),
    )


@blueprint.get("/stats")
@login_required
def stats():
    """Figures of one round (the newest the user may see unless one is chosen)."""
    rounds = rounds_for(current_user)
    chosen = positive_id(request.args.get("round"))
    round_ = next((r for r in rounds if r.id == chosen), rounds[0] if rounds else None)
    figures = round_figures(current_user, round_) if round_ else None
    return render_template("queue/stats.html", rounds=rounds, round=round_, figures=figures)


@blueprint.get("/export.<any(csv, xlsx):file_format>")
@login_required
def export(file_format: str):
    """The ledger as a download, streamed as it is written (no page of it is ever cached); a large one is made
    by a job, whose page offers it once ready."""
    chunks = ledger_or_job(current_user, QueueFilters.from_args(request.args), file_format)
    if isinstance(chunks, Job):
        return redirect(url_for("jobs.show", job_id=chunks.id))
    return Response(stream_with_context(chunks), mimetype=MEDIA_TYPES[file_format], headers={
        "Content-Disposition": f'attachment; filename="{ledger_filename(file_format)}"',
    })
