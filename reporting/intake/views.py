"""The public pages: the landing page, a round's intake page, the receipt and the status lookup."""
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    make_response,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_limiter import RateLimitExceeded

from reporting import captcha, i18n
from reporting.access import RoundReadOnly
from reporting.extensions import csrf
from reporting.intake import pages
from reporting.intake.forms import AddInformationForm, LookupForm, RatingForm
from reporting.intake.services import (
    CodeUnknown,
    RatingRefused,
    add_information,
    find_by_receipt,
    find_code,
    intake_state,
    open_round_code,
    public_replies,
    rate,
    round_form_instead,
    submit_report,
)
from reporting.limits import (
    give_device_cookie,
    note_submission,
    resident_limits,
    retry_after,
    round_flooded,
    seconds_until_reset,
    use_zone,
)
from reporting.links import lookup_url
from reporting.models import QrCode, today_in
from reporting.rounds.services import open_rounds
from reporting.scans import count_scan
from reporting.submission.forms import ReportForm
from reporting.triage.rules import may_rate
from reporting.uploads import ImageRefused, chosen_files, clean_images, refusal_message

blueprint = Blueprint("intake", __name__)

CHOOSE_AGAIN = _l("Your text is kept below; choose the photos again before sending.")
# The forms whose POSTs are limited per device: each gives a browser its device cookie.
FORMS = ("intake.report", "intake.status")


def no_store(html: str, status: int = 200):
    """Pages holding a receipt or a report's text are kept by no cache and no back-forward history."""
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def poster(token: str) -> QrCode | None:
    """The request's QR code, looked up once: the limits need its round's time zone before the view runs, and the
    page its round's languages."""
    if "code" not in g:
        try:
            g.code = find_code(token)
        except CodeUnknown:
            g.code = None
        else:
            i18n.use_round(g.code.round)
    return g.code


def code_or_404(token: str) -> QrCode:
    code = poster(token)
    if code is None:
        abort(404)
    return code


def refuse_images(field, refused: ImageRefused) -> None:
    field.errors = [refusal_message(refused), CHOOSE_AGAIN]


@blueprint.get("/")
def landing():
    return render_template("public/landing.html", rounds=open_rounds())


@blueprint.route("/r/<token>", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so that an expired one comes back with the text kept
@resident_limits("SUBMIT_LIMIT", "SUBMIT_ADDRESS_LIMIT")
def report(token: str):
    code = code_or_404(token)
    round_ = code.round
    state = intake_state(code)
    if state in ("revoked", "closed"):
        instead = round_form_instead(code)
        return no_store(render_template("intake/closed.html", round=round_, state=state, typed=request.form,
                                        instead=instead and url_for("intake.report", token=instead.token)), 410)
    if state == "not_yet":
        return no_store(render_template("intake/not_yet.html", round=round_, typed=request.form))
    if request.method == "GET":
        count_scan(code.id)
        return first_page(code)
    form = ReportForm(round_, pinned_unit_id=code.unit_id)
    note_submission(round_.id)
    if not form.validate():
        return no_store(report_page(form, code, photos_dropped=len(chosen_files(form.attachments.data))), 400)
    # After the form's own checks (a right answer is not spent on a missing field) and before the photos' costly
    # decoding, which a flood that solves nothing should not get to.
    if current_app.config["CAPTCHA"] and not captcha.check(code.token, request.form):
        return no_store(report_page(form, code, captcha_refused=True,
                                    photos_dropped=len(chosen_files(form.attachments.data))), 400)
    try:
        images = clean_images(form.attachments.data)
    except ImageRefused as refused:
        refuse_images(form.attachments, refused)
        return no_store(report_page(form, code), 400)
    # read before the commit expires them: one query less
    round_name, timezone = i18n.in_language(round_).marked("name"), round_.timezone
    _, receipt = submit_report(code, form.submission(), images)
    shown_on = today_in(timezone)
    return no_store(pages.receipt_page(receipt, round_name, shown_on, lambda shown: render_template(
        "intake/receipt.html", receipt=shown, round_name=round_name, shown_on=shown_on,
        lookup_url=lookup_url())))


def fresh_challenge(code: QrCode) -> captcha.Challenge | None:
    """While the captcha is on, a new challenge each time the page is shown."""
    return captcha.new_challenge(code.token, harder=round_flooded(code.round_id)) \
        if current_app.config["CAPTCHA"] else None


def report_page(form: ReportForm, code: QrCode, challenge: captcha.Challenge | None = None, **context) -> str:
    """The intake page and its form."""
    return render_template("intake/report.html", form=form, round=code.round, code=code,
                           captcha=challenge or fresh_challenge(code), **context)


def first_page(code: QrCode) -> str:
    """The page as the poster opens it, kept once rendered (reporting/intake/pages.py)."""
    return pages.first_page(code, fresh_challenge(code), lambda challenge: report_page(
        ReportForm(code.round, pinned_unit_id=code.unit_id), code, challenge))


@blueprint.get("/r/<token>/captcha")
def proof_of_work(token: str):
    """The proof of work the captcha widget solves, fetched as the resident starts on the form: always fresh."""
    code = code_or_404(token)
    if not current_app.config["CAPTCHA"] or intake_state(code) != "open":
        abort(404)
    response = jsonify(captcha.proof_of_work(code.token, harder=round_flooded(code.round_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.route("/status", methods=["GET", "POST"])
@csrf.exempt  # as above: a reporter's added text survives an expired form token
@resident_limits("LOOKUP_LIMIT", "LOOKUP_ADDRESS_LIMIT")
def status():
    if request.method == "GET":
        return render_template("intake/lookup.html", form=LookupForm())
    adding, rating = "message" in request.form, "rating" in request.form
    form = AddInformationForm() if adding else RatingForm() if rating else LookupForm()
    if not form.validate():
        if rating and form.receipt.data and (found := find_by_receipt(form.receipt.data)) is not None:
            return no_store(render_status(found, fresh_form(form), rating_form=form), 400)
        return no_store(render_template("intake/lookup.html", form=form), 400)
    found = find_by_receipt(form.receipt.data)
    if found is None:
        return no_store(render_template("intake/lookup.html", form=form, not_found=True))
    added = rated = False
    if adding:
        added, status_code = add_to_report(found, form)
        if not added:
            return no_store(render_status(found, form), status_code)
    if rating:
        try:
            rate(found, form.rating.data, form.comment.data)
        except RatingRefused as refused:
            return no_store(render_status(found, fresh_form(form), refused=refused.reason), 409)
        rated = True
    return no_store(render_status(found, fresh_form(form), added, rated=rated))


def fresh_form(form: LookupForm) -> AddInformationForm:
    """The page's add-information form, empty but for the receipt (kept only in the page, never stored)."""
    return AddInformationForm(receipt=form.receipt.data, formdata=None)


def add_to_report(found, form: AddInformationForm) -> tuple[bool, int]:
    try:
        images = clean_images(form.attachments.data)
    except ImageRefused as refused:
        refuse_images(form.attachments, refused)
        return False, 400
    if not form.message.data.strip() and not images:
        form.message.errors = [_l("Write something or attach a photo.")]
        return False, 400
    try:
        add_information(found, form.message.data, images)
    except RoundReadOnly:  # handed over: the page says so, and shows the text typed so that it can be kept
        return False, 409
    return True, 200


def render_status(found, form: AddInformationForm, added: bool = False, rating_form: RatingForm | None = None,
                  **context) -> str:
    rating_form = rating_form or RatingForm(receipt=form.receipt.data, formdata=None)
    round_code = open_round_code(found.round)
    return render_template("intake/status.html", report=found, form=form, added=added, rating_form=rating_form,
                           rateable=may_rate(found.status), messages=public_replies(found),
                           round_page=round_code and url_for("intake.report", token=round_code.token), **context)


@blueprint.before_request
def find_limit_zone() -> None:
    """A POST's limits count days in its round's time zone, read from the database: here, before the limiter
    runs, so that a database error gets its own page (503) instead of being taken for the limiter's storage."""
    if request.method == "POST" and request.endpoint in FORMS:
        token = (request.view_args or {}).get("token")
        code = poster(token) if token else None
        use_zone(code.round.timezone if code else None)


@blueprint.after_request
def device_cookie(response: Response) -> Response:
    return give_device_cookie(response) if request.endpoint in FORMS else response


@blueprint.errorhandler(RateLimitExceeded)
def rate_limited(error: RateLimitExceeded):
    """The 429 page of the public side: when to retry, the offline channels, and the resident's own text."""
    token = (request.view_args or {}).get("token")
    round_ = None
    if token and (code := poster(token)) is not None:
        round_ = code.round
    seconds = seconds_until_reset()
    response = no_store(render_template("intake/limited.html", round=round_, typed=request.form,
                                        retry_after_seconds=seconds), 429)
    response.headers.update(retry_after(seconds))
    return response
