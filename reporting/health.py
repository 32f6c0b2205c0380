"""`/healthz`: the load balancer's question, answered by asking the database."""
from flask import Blueprint
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from reporting.extensions import db, limiter

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
@limiter.exempt
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "unavailable"}, 503
    return {"status": "ok"}
