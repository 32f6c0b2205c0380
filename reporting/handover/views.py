"""`/admin/rounds/<id>/handover`: what still waits for a decision, then the handover zip: sent at once for a small
round, made by a background job (whose page offers it) for one too large for a request."""
import tempfile

from flask import Blueprint, abort, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required

from reporting.access import is_admin
from reporting.extensions import db
from reporting.handover.forms import HandoverForm
from reporting.handover.jobs import HANDOVER_KIND, needs_job, package_name
from reporting.handover.services import HandoverRefused, undecided, write_handover
from reporting.jobs.services import start
from reporting.models import Round

blueprint = Blueprint("handover", __name__, url_prefix="/admin")


@blueprint.before_request
@login_required
def admins_only():
    if not is_admin(current_user):
        abort(403)


@blueprint.route("/rounds/<int:round_id>/handover", methods=["GET", "POST"])
def handover(round_id: int):
    round_ = db.session.get(Round, round_id) or abort(404)
    form = HandoverForm()
    waiting = undecided(round_)
    if not form.validate_on_submit():
        return render_template("handover/handover.html", round=round_, form=form, undecided=waiting), \
            400 if form.errors else 200
    if waiting.count and not form.force.data:  # said at once; the zip's writer checks again
        return refused_page(round_, form, waiting)
    if needs_job(round_):
        job = start(HANDOVER_KIND, current_user, {"round_id": round_.id, "force": form.force.data,
                                                  "with_identity": form.with_identity.data})
        return redirect(url_for("jobs.show", job_id=job.id))
    # Written whole before anything is sent, so that a refusal or a failure is a page, not half a zip; the file
    # is sent from disk in chunks, and goes when the response is closed.
    file = tempfile.TemporaryFile()
    try:
        manifest = write_handover(round_, file, force=form.force.data, with_identity=form.with_identity.data,
                                  user=current_user)
    except HandoverRefused as refused:
        file.close()
        return refused_page(round_, form, refused.undecided)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return send_file(file, mimetype="application/zip", as_attachment=True,
                     download_name=package_name(round_, manifest.created_at), max_age=0)


def refused_page(round_: Round, form: HandoverForm, waiting):
    return render_template("handover/handover.html", round=round_, form=form, undecided=waiting, refused=True), 409
