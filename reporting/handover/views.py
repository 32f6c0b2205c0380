"""`/admin/rounds/<id>/handover`: what still waits for a decision, and the handover zip as a download."""
import tempfile
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, render_template, send_file
from flask_login import current_user, login_required

from reporting.access import is_admin
from reporting.extensions import db
from reporting.handover.forms import HandoverForm
from reporting.handover.services import HandoverRefused, undecided, write_handover
from reporting.models import Round

blueprint = Blueprint("handover", __name__, url_prefix="/admin")


@blueprint.before_request
@login_required
def admins_only():
    if not is_admin(current_user):
        abort(403)


def package_name(round_: Round, made_at: datetime) -> str:
    return f"handover-round-{round_.id}-{made_at.astimezone(ZoneInfo(round_.timezone)):%Y%m%d-%H%M}.zip"


@blueprint.route("/rounds/<int:round_id>/handover", methods=["GET", "POST"])
def handover(round_id: int):
    round_ = db.session.get(Round, round_id) or abort(404)
    form = HandoverForm()
    if not form.validate_on_submit():
        return render_template("handover/handover.html", round=round_, form=form, undecided=undecided(round_)), \
            400 if form.errors else 200
    # Written whole before anything is sent, so that a refusal or a failure is a page, not half a zip; the file
    # is sent from disk in chunks, and goes when the response is closed.
    file = tempfile.TemporaryFile()
    try:
        manifest = write_handover(round_, file, force=form.force.data, with_identity=form.with_identity.data,
                                  user=current_user)
    except HandoverRefused as refused:
        file.close()
        return render_template("handover/handover.html", round=round_, form=form, undecided=refused.undecided,
                               refused=True), 409
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return send_file(file, mimetype="application/zip", as_attachment=True,
                     download_name=package_name(round_, manifest.created_at), max_age=0)
