"""The resident's use cases: open a code, submit a report, look it up by receipt, add to it, rate it.

Nothing here receives or stores the client's address or user agent.
"""
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from reporting.access import check_changeable
from reporting.extensions import db
from reporting.models import (
    RATINGS,
    Message,
    QrCode,
    Report,
    Round,
    Satisfaction,
    Team,
    Unit,
    today_in,
    utc_day,
    utcnow,
)
from reporting.replies import seen_by_reporter
from reporting.security import new_receipt, normalize_receipt, receipt_digest
from reporting.submission.services import Origin, Submission, attach, save_report
from reporting.triage.rules import may_rate
from reporting.uploads import CleanImage


class CodeUnknown(LookupError):
    """No QR code has this token."""


# The code by its token, with its round, the round's units with their teams and its sole team (where a report goes
# whose unit decides none, `Round.intake_team_id`) in one round trip: the intake page, the form and the report need
# them. Built once: SQLAlchemy then keeps its cache key instead of working it out again for every request.
_with_round = joinedload(QrCode.round)
CODE_BY_TOKEN = select(QrCode).where(QrCode.token == bindparam("token")).options(
    _with_round.joinedload(Round.units).joinedload(Unit.team),
    _with_round.with_expression(Round.sole_team_id, select(func.min(Team.id)).where(Team.round_id == Round.id)
                                .having(func.count(Team.id) == 1).scalar_subquery()))


def find_code(token: str) -> QrCode:
    code = db.session.scalars(CODE_BY_TOKEN, {"token": token}).unique().one_or_none()
    if code is None:
        raise CodeUnknown(token)
    return code


def intake_state(code: QrCode, now: datetime | None = None) -> str:
    """open, not_yet (200 with the opening date), closed or revoked (both 410)."""
    if code.revoked_at is not None:
        return "revoked"
    return {"draft": "not_yet", "open": "open", "closed": "closed"}[code.round.status_at(now or utcnow())]


def open_round_code(round_: Round, now: datetime | None = None) -> QrCode | None:
    """The round's own code while it takes reports: where a resident goes on to report again."""
    code = round_.round_code
    return code if code is not None and intake_state(code, now) == "open" else None


def round_form_instead(code: QrCode, now: datetime | None = None) -> QrCode | None:
    """For a withdrawn poster of a round still taking reports: the round's own code, where the resident can go on."""
    if code.revoked_at is None:
        return None
    own = open_round_code(code.round, now)
    return own if own is not None and own.id != code.id else None


def submit_report(code: QrCode, submission: Submission, images: list[CleanImage]) -> tuple[Report, str]:
    """Save a web report and return it with its receipt, which is shown once and not kept."""
    receipt = new_receipt()
    team_id = code.team_id
    # A unit of the round decides the team by itself: then the round's teams (a query) are not needed.
    if team_id is None and not any(unit.id == submission.unit_id for unit in code.round.units):
        team_id = code.round.intake_team_id()
    origin = Origin("web", today_in(code.round.timezone), team_id, qr_code_id=code.id,
                    receipt_digest=receipt_digest(receipt))
    return save_report(code.round, submission, images, origin), receipt


def find_by_receipt(typed: str) -> Report | None:
    """The report a receipt belongs to; None for anything else, whatever is wrong with it."""
    if normalize_receipt(typed) is None:
        return None
    return db.session.scalar(select(Report).where(Report.receipt_digest == receipt_digest(typed)))


def add_information(report: Report, text: str, images: list[CleanImage]) -> Message:
    """The reporter adds text and images to their report, as one message."""
    check_changeable(report.round)
    message = Message(report=report, kind="reporter", body=text, created_at=utc_day())
    db.session.add(message)
    attach(report, images, message, created_at=utc_day())
    db.session.commit()
    return message


class RatingRefused(Exception):
    """The report is not finished yet (`reason` "not_finished") or was already rated ("already_rated")."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def rate(report: Report, rating: str, comment: str) -> Satisfaction:
    """The reporter's one rating of a finished report, kept with the day only and no identity. The unique
    constraint on the report decides between two tries at once: the second is refused like a later one."""
    if not may_rate(report.status):
        raise RatingRefused("not_finished")
    if rating not in RATINGS:
        raise ValueError(rating)
    satisfaction = Satisfaction(report_id=report.id, rating=rating, comment=comment, created_at=utc_day())
    db.session.add(satisfaction)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise RatingRefused("already_rated") from None
    return satisfaction


def public_replies(report: Report) -> list[Message]:
    """What the reporter may read on /status: their own additions and the replies sent, never notes or drafts."""
    return [message for message in report.messages if seen_by_reporter(message)]
