"""The admin's pages for rounds: details and status, teams and units, posting locations and their QR
codes, scan figures, and posters."""
import io
import tempfile
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from reporting.access import is_admin
from reporting.extensions import db
from reporting.jobs.rules import content_disposition
from reporting.jobs.services import start
from reporting.links import download_name, intake_url
from reporting.models import QrCode, Round, Team, Unit, column_length
from reporting.posters.archive import CODES_KIND, archive_name, codes_zip
from reporting.posters.codes import qr_png, qr_svg
from reporting.posters.jobs import POSTERS_KIND
from reporting.posters.locations import codes_for_posters, live_codes
from reporting.posters.pdf import write_posters
from reporting.rounds import services, teams
from reporting.rounds.forms import (
    LocationForm,
    MoveForm,
    RenameForm,
    RevokeForm,
    RoundForm,
    TeamForm,
    UnitForm,
    pinned_choices,
    pinned_to,
)
from reporting.rounds.lineage import possible_parents

blueprint = Blueprint("rounds", __name__, url_prefix="/admin")
MAX_WEB_POSTERS = 200  # more pages than this take longer than a web request may: a background job makes them


@blueprint.before_request
@login_required
def admins_only():
    if not is_admin(current_user):
        abort(403)


def round_form(round_: Round | None, **kwargs) -> RoundForm:
    """The round's form, offering as parent only the rounds it may be linked to."""
    return RoundForm.for_round(round_, possible_parents(round_), **kwargs)


def round_or_404(round_id: int) -> Round:
    return db.session.get(Round, round_id) or abort(404)


def code_or_404(code_id: int) -> QrCode:
    return db.session.get(QrCode, code_id) or abort(404)


@blueprint.get("/rounds")
def index():
    return render_template("rounds/index.html", rounds=services.round_summaries())


@blueprint.route("/rounds/new", methods=["GET", "POST"])
def new():
    form = round_form(None)
    if form.validate_on_submit():
        round_ = services.create_round(form.round_fields() | {"status": "draft"}, [], current_user)
        flash(_("The round was created as a draft. Add teams and units, then open it."))
        return redirect(url_for("rounds.show", round_id=round_.id))
    return render_template("rounds/edit.html", form=form, round=None), 400 if form.errors else 200


@blueprint.route("/rounds/<int:round_id>", methods=["GET", "POST"])
def show(round_id: int):
    round_ = round_or_404(round_id)
    form = round_form(round_)
    if form.validate_on_submit():
        changed = services.update_round(round_, form.round_fields(), current_user)
        flash(_("Saved.") if changed else _("Nothing was changed."))
        return redirect(url_for("rounds.show", round_id=round_.id))
    return render_round(round_, form, 400 if form.errors else 200)


def team_or_404(round_: Round, team_id: int) -> Team:
    """A team of the round in the URL; a team of another round is as unknown here as one that does not exist."""
    team = db.session.get(Team, team_id)
    return team if team is not None and team.round_id == round_.id else abort(404)


def unit_or_404(round_: Round, unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id)
    return unit if unit is not None and unit.round_id == round_.id else abort(404)


def render_round(round_: Round, form: RoundForm, status: int = 200, **forms):
    unit_form = forms.get("unit_form") or UnitForm(formdata=None)
    unit_form.team_id.choices = [(team.id, team.name) for team in round_.teams]
    location_form = forms.get("location_form") or LocationForm(formdata=None)
    location_form.pinned.choices = pinned_choices(round_)
    return render_template(
        "rounds/show.html", round=round_, form=form, status_now=round_.status_at(services.utcnow()),
        team_form=forms.get("team_form") or TeamForm(formdata=None), unit_form=unit_form,
        location_form=location_form, figures=services.scan_figures(round_), intake_url=intake_url,
        max_web_posters=MAX_WEB_POSTERS, refusal=forms.get("refusal"), refused_item=forms.get("refused_item"),
        typed_name=forms.get("typed_name"),
        name_lengths={"team": column_length("name", Team), "unit": column_length("name", Unit)},
    ), status


@blueprint.post("/rounds/<int:round_id>/status")
def status(round_id: int):
    round_ = round_or_404(round_id)
    try:
        services.set_status(round_, request.form.get("status", ""), current_user)
    except ValueError:
        abort(400)
    return redirect(url_for("rounds.show", round_id=round_.id))


@blueprint.post("/rounds/<int:round_id>/teams")
def add_team(round_id: int):
    round_ = round_or_404(round_id)
    form = TeamForm()
    if not form.validate():
        return render_round(round_, round_form(round_, formdata=None), 400, team_form=form)
    try:
        services.add_team(round_, form.name.data.strip(), current_user)
    except teams.NameTaken as error:
        form.name.errors = [name_taken("team", error.name)]
        return render_round(round_, round_form(round_, formdata=None), 409, team_form=form)
    return redirect(url_for("rounds.show", round_id=round_.id) + "#teams")


@blueprint.post("/rounds/<int:round_id>/units")
def add_unit(round_id: int):
    round_ = round_or_404(round_id)
    form = UnitForm()
    form.team_id.choices = [(team.id, team.name) for team in round_.teams]
    if not form.validate():
        return render_round(round_, round_form(round_, formdata=None), 400, unit_form=form)
    team = db.session.get(Team, form.team_id.data) or abort(404)  # the form took it from the round's teams
    try:
        services.add_unit(round_, team, form.name.data.strip(), current_user)
    except teams.NameTaken as error:
        form.name.errors = [name_taken("unit", error.name)]
        return render_round(round_, round_form(round_, formdata=None), 409, unit_form=form)
    return redirect(url_for("rounds.show", round_id=round_.id) + "#teams")


def refused(round_: Round, status: int, message: str, item: str, typed_name: str | None = None):
    """The round's page again, with why the change to `item` ("team-3", "unit-7") was refused, its actions open
    and the name typed for it kept."""
    return render_round(round_, round_form(round_, formdata=None), status, refusal=message, refused_item=item,
                        typed_name=typed_name)


def form_errors(form) -> str:
    return " ".join(f"{form[name].label.text}: {error}" for name, errors in form.errors.items() for error in errors)


def changed(round_: Round, done: bool):
    flash(_("Saved.") if done else _("Nothing was changed."))
    return redirect(url_for("rounds.show", round_id=round_.id) + "#teams")


@blueprint.post("/rounds/<int:round_id>/teams/<int:team_id>/rename")
def rename_team(round_id: int, team_id: int):
    round_ = round_or_404(round_id)
    team = team_or_404(round_, team_id)
    return rename(round_, team)


@blueprint.post("/rounds/<int:round_id>/units/<int:unit_id>/rename")
def rename_unit(round_id: int, unit_id: int):
    round_ = round_or_404(round_id)
    unit = unit_or_404(round_, unit_id)
    return rename(round_, unit)


def rename(round_: Round, item: Team | Unit):
    kind = teams.kind_of(item)
    key, form = f"{kind}-{item.id}", RenameForm.for_model(type(item))
    if not form.validate():
        return refused(round_, 400, form_errors(form), key, form.name.data)
    try:
        return changed(round_, teams.rename(item, form.name.data, current_user))
    except teams.NameTaken as error:
        return refused(round_, 409, name_taken(kind, error.name), key, form.name.data)


def name_taken(kind: str, name: str) -> str:
    return (_("Another team of this round is called %(name)s already.", name=name) if kind == "team"
            else _("Another unit of this round is called %(name)s already.", name=name))


@blueprint.post("/rounds/<int:round_id>/units/<int:unit_id>/move")
def move_unit(round_id: int, unit_id: int):
    round_ = round_or_404(round_id)
    unit = unit_or_404(round_, unit_id)
    form = MoveForm()
    form.team_id.choices = [(team.id, team.name) for team in round_.teams]
    if not form.validate():
        return refused(round_, 400, form_errors(form), f"unit-{unit.id}")
    return changed(round_, teams.move_unit(unit, team_or_404(round_, form.team_id.data), current_user))


@blueprint.post("/rounds/<int:round_id>/teams/<int:team_id>/remove")
def remove_team(round_id: int, team_id: int):
    round_ = round_or_404(round_id)
    return remove(round_, team_or_404(round_, team_id), "team", teams.remove_team)


@blueprint.post("/rounds/<int:round_id>/units/<int:unit_id>/remove")
def remove_unit(round_id: int, unit_id: int):
    round_ = round_or_404(round_id)
    return remove(round_, unit_or_404(round_, unit_id), "unit", teams.remove_unit)


def remove(round_: Round, item: Team | Unit, kind: str, service):
    """A removal has no field but the CSRF token, which CSRFProtect checks for every POST."""
    key, name = f"{kind}-{item.id}", item.name
    try:
        service(item, current_user)
    except teams.StillInUse as error:
        return refused(round_, 409, _("%(name)s cannot be removed while something points at it: %(uses)s.",
                                      name=error.name, uses=error.uses.describe()), key)
    flash(_("%(name)s was removed.", name=name))
    return redirect(url_for("rounds.show", round_id=round_.id) + "#teams")


@blueprint.post("/rounds/<int:round_id>/codes")
def add_location(round_id: int):
    round_ = round_or_404(round_id)
    form = LocationForm()
    form.pinned.choices = pinned_choices(round_)
    if not form.validate():
        return render_round(round_, round_form(round_, formdata=None), 400, location_form=form)
    team, unit = pinned_to(round_, form.pinned.data)
    services.add_location(round_, unit, form.label.data.strip(), current_user, team)
    return redirect(url_for("rounds.show", round_id=round_.id) + "#codes")


@blueprint.post("/codes/<int:code_id>/revoke")
def revoke(code_id: int):
    code = code_or_404(code_id)
    if code.is_round_code:
        abort(400)  # the round's own code is withdrawn by closing the round
    form = RevokeForm()
    if not form.validate():
        flash(_("Say why the code is revoked."))
        return redirect(url_for("rounds.show", round_id=code.round_id) + "#codes")
    services.revoke(code, form.reason.data.strip(), current_user)
    return redirect(url_for("rounds.show", round_id=code.round_id) + "#codes")


@blueprint.post("/codes/<int:code_id>/restore")
def restore(code_id: int):
    code = code_or_404(code_id)
    if code.revoked_at is not None:
        services.restore(code, current_user)
    return redirect(url_for("rounds.show", round_id=code.round_id) + "#codes")


def download(data: bytes, mimetype: str, name: str):
    return send_file(io.BytesIO(data), mimetype=mimetype, download_name=name, max_age=0)


@blueprint.get("/rounds/<int:round_id>/qr.<any(png, svg):kind>")
def round_qr(round_id: int, kind: str):
    return code_download(round_or_404(round_id).own_code, kind)


@blueprint.get("/codes/<int:code_id>.<any(png, svg):kind>")
def code_qr(code_id: int, kind: str):
    return code_download(code_or_404(code_id), kind)


def code_download(code: QrCode, kind: str):
    """A live code's image, named by round, unit and place; a withdrawn code is no longer given out (410)."""
    if code.revoked_at is not None:
        abort(410)
    name = download_name(code)
    url = intake_url(code)
    if kind == "png":
        return download(qr_png(url), "image/png", f"{name}.png")
    return download(qr_svg(url), "image/svg+xml", f"{name}.svg")


@blueprint.get("/rounds/<int:round_id>/codes.zip")
def codes_archive(round_id: int):
    """Every live code of the round as a PNG, in one zip; a round of many codes gets it from a job."""
    round_ = round_or_404(round_id)
    codes = live_codes(round_)
    if len(codes) > MAX_WEB_POSTERS:
        job = start(CODES_KIND, current_user, {"round_id": round_.id})
        return redirect(url_for("jobs.show", job_id=job.id))
    return Response(stream_with_context(codes_zip(codes)), mimetype="application/zip", headers={
        "Content-Disposition": content_disposition(archive_name(round_)), "Cache-Control": "no-store"})


@blueprint.get("/rounds/<int:round_id>/posters.pdf")
def posters(round_id: int):
    """Posters of every live location code, up to MAX_WEB_POSTERS; a larger batch is made by a job, whose
    page offers the PDF once ready."""
    round_ = round_or_404(round_id)
    codes = codes_for_posters(round_)
    if len(codes) > MAX_WEB_POSTERS:
        job = start(POSTERS_KIND, current_user, {"round_id": round_.id})
        return redirect(url_for("jobs.show", job_id=job.id))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "posters.pdf"
        write_posters(round_, codes, path)
        data = path.read_bytes()
    return download(data, "application/pdf", f"posters-round-{round_.id}.pdf")
