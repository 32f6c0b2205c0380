"""A job's page (`/staff/jobs/<id>`), which reloads itself while the job runs, and its download."""
from flask import Blueprint, Response, abort, render_template, stream_with_context
from flask_login import current_user, login_required

from reporting.jobs import services
from reporting.jobs.registry import kind_label
from reporting.jobs.rules import FAILURES, REFRESH_SECONDS, WAITING, content_disposition, shown_state
from reporting.models import Job, utcnow

blueprint = Blueprint("jobs", __name__, url_prefix="/staff/jobs")


def owned_or_404(job_id: int) -> Job:
    return services.owned_job(current_user, job_id) or abort(404)


@blueprint.get("/<int:job_id>")
@login_required
def show(job_id: int):
    job = owned_or_404(job_id)
    status, failure = shown_state(job, utcnow())
    return render_template("jobs/show.html", job=job, status=status, waiting=status in WAITING,
                           failure=FAILURES.get(failure, FAILURES["error"]), kind=kind_label(job.kind),
                           refresh_seconds=REFRESH_SECONDS), {"Cache-Control": "no-store"}


@blueprint.get("/<int:job_id>/download")
@login_required
def download(job_id: int):
    job = owned_or_404(job_id)
    if job.status != "done":
        abort(404)
    return Response(stream_with_context(services.result_chunks(job.id)), mimetype=job.media_type, headers={
        "Content-Disposition": content_disposition(job.filename), "Content-Length": str(job.size),
        "Cache-Control": "no-store",
    })
