"""The public pages: the landing page, a round's intake page, the receipt and the status lookup."""
from flask import Blueprint, render_template

from reporting.rounds.services import open_rounds

blueprint = Blueprint("intake", __name__)


@blueprint.get("/")
def landing():
    return render_template("public/landing.html", rounds=open_rounds())
