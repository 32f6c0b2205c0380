"""Rounds, their teams and units, and the round's own QR code."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from reporting import audit
from reporting.access import check_changeable
from reporting.extensions import db
from reporting.followup.bodies import DEFAULT_BODIES, DEFAULT_RANK_BODIES
from reporting.i18n import unknown_languages
from reporting.links import intake_url, location_code, new_token
from reporting.models import ROUND_STATUSES, QrCode, Report, Round, StaffUser, Team, Unit, utcnow
from reporting.notice import clean_notice
from reporting.rounds.lineage import round_links, would_cycle
from reporting.rounds.teams import check_name_free
from reporting.scans import scans_of

# The six disciplines and the two themes of current inspection work; each round may edit its own list.
DEFAULT_CATEGORIES = ("政治纪律", "组织纪律", "廉洁纪律", "群众纪律", "工作纪律", "生活纪律",
                      "形式主义官僚主义", "群众身边腐败和作风问题", "其他")
ROUND_FIELDS = (
    "name", "level", "starts_on", "ends_on", "timezone", "intake_hours",
    "phone", "postal_box", "email", "notice", "categories", "status", "default_team_id", "receiving_bodies",
    "rank_bodies", "parent_id", "is_revisit", "replies_need_approval", "languages", "translations",
)


@dataclass
class TeamPlan:
    name: str
    units: list[str]


def create_round(fields: dict, teams: list[TeamPlan], actor: StaffUser | None = None) -> Round:
    """A round with its teams, their units and the round's own QR code, in one transaction."""
    round_ = build_round(fields, teams, actor)
    db.session.commit()
    return round_


def build_round(fields: dict, teams: list[TeamPlan], actor: StaffUser | None = None) -> Round:
    """The same, added to the session but not committed, for callers that add more in the same transaction.
    Without an actor it was a command (`rounds import`, `demo`), and the audit log says so."""
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise ValueError(f"unknown round fields: {sorted(unknown)}")
    defaults = {"categories": list(DEFAULT_CATEGORIES), "receiving_bodies": list(DEFAULT_BODIES),
                "rank_bodies": dict(DEFAULT_RANK_BODIES)}
    round_ = Round(**(defaults | fields))
    round_.notice = clean_notice(round_.notice)
    round_.translations = cleaned_notices(fields.get("translations", {}))
    db.session.add(round_)
    unit_position = 0
    for team_position, plan in enumerate(teams):
        team = Team(round=round_, name=plan.name, position=team_position)
        db.session.add(team)
        for unit_name in plan.units:
            db.session.add(Unit(round=round_, team=team, name=unit_name, position=unit_position))
            unit_position += 1
    db.session.add(QrCode(round=round_, token=new_token(), is_round_code=True))
    db.session.flush()  # the round's id, for its audit event
    audit.record(actor, "round.created", round_id=round_.id)
    return round_


def open_rounds(now: datetime | None = None) -> list[Round]:
    """Rounds taking reports now. The date window is widened by a day so that any time zone fits."""
    now = now or utcnow()
    today = now.date()
    candidates = db.session.scalars(
        select(Round)
        .where(Round.status == "open")
        .where(Round.starts_on <= today + timedelta(days=1), Round.ends_on >= today - timedelta(days=1))
        .order_by(Round.starts_on.desc(), Round.id.desc())
    )
    return [round_ for round_ in candidates if round_.status_at(now) == "open"]


def round_summaries(now: datetime | None = None) -> list[dict]:
    """Every round as `rounds list --json` prints it: status in force now, intake URL, teams and units."""
    now = now or utcnow()
    counts = dict(db.session.execute(select(Report.round_id, func.count()).group_by(Report.round_id)).all())
    rounds = db.session.scalars(
        select(Round)
        .options(selectinload(Round.teams).selectinload(Team.units), selectinload(Round.round_code))
        .order_by(Round.id)
    )
    return [
        {
            "id": round_.id,
            "name": round_.name,
            "status": round_.status_at(now),
            "starts_on": round_.starts_on.isoformat(),
            "ends_on": round_.ends_on.isoformat(),
            "reports": counts.get(round_.id, 0),
            "intake_url": intake_url(round_.own_code),
            "languages": round_.languages,
            "teams": [
                {"id": team.id, "name": team.name, "units": [{"id": u.id, "name": u.name} for u in team.units]}
                for team in round_.teams
            ],
        }
        for round_ in rounds
    ]


def update_round(round_: Round, fields: dict, actor) -> list[str]:
    """An admin's edit of a round; the notice is cleaned before it is kept. Returns the names of the fields
    that changed: a form saved unchanged writes nothing and leaves no audit event."""
    check_changeable(round_)
    fields = fields | ({"notice": clean_notice(fields["notice"])} if "notice" in fields else {}) | (
        {"translations": cleaned_notices(fields["translations"])} if "translations" in fields else {})
    if fields.get("default_team_id") not in (None, *(team.id for team in round_.teams)):
        raise ValueError("the default team must be a team of the round")
    if would_cycle(round_.id, fields.get("parent_id"), round_links()):
        raise ValueError("a round cannot be linked below itself")
    if unknown_languages(fields.get("languages", [])):
        raise ValueError("a round lists only the site's languages beside Chinese")
    changed = sorted(name for name, value in fields.items() if getattr(round_, name) != value)
    if not changed:
        return []
    for name in changed:
        setattr(round_, name, fields[name])
    audit.record(actor, "round.changed", round_id=round_.id, fields=changed)
    db.session.commit()
    return changed


def cleaned_notices(translations: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """A round's own words per language, each notice cleaned like the Chinese one."""
    return {code: texts | ({"notice": clean_notice(texts["notice"])} if "notice" in texts else {})
            for code, texts in translations.items()}


def set_status(round_: Round, status: str, actor) -> None:
    """Open, close or return to draft by hand; the dates still bound an open round (see Round.status_at)."""
    if status not in ROUND_STATUSES:
        raise ValueError(status)
    check_changeable(round_)  # a handed-over round stays closed: reopened, its package would no longer be the record
    round_.status = status
    audit.record(actor, "round.status", round_id=round_.id, status=status)
    db.session.commit()


def next_position(items: list[Team] | list[Unit]) -> int:
    """After the last: a count would repeat a position once a team or unit was removed (reporting/rounds/teams.py)."""
    return max((item.position for item in items), default=-1) + 1


def add_team(round_: Round, name: str, actor) -> Team:
    """NameTaken when the round has a team of that name."""
    check_changeable(round_)
    check_name_free(Team, round_.id, name)
    team = Team(round=round_, name=name, position=next_position(round_.teams))
    db.session.add(team)
    audit.record(actor, "round.team_added", round_id=round_.id, name=name)
    db.session.commit()
    return team


def add_unit(round_: Round, team: Team, name: str, actor) -> Unit:
    """NameTaken when the round has a unit of that name: residents choose units by name."""
    check_changeable(round_)
    check_name_free(Unit, round_.id, name)
    unit = Unit(round=round_, team=team, name=name, position=next_position(round_.units))
    db.session.add(unit)
    audit.record(actor, "round.unit_added", round_id=round_.id, name=name)
    db.session.commit()
    return unit


def add_location(round_: Round, unit: Unit | None, label: str, actor, team: Team | None = None) -> QrCode:
    """A code of its own for one posting place, pinned to the unit (and so its team) when one is given, or to a
    team only: its reports go to that team, whatever unit they name."""
    check_changeable(round_)
    code = location_code(round_, unit, label, team)
    db.session.add(code)
    audit.record(actor, "round.location_added", round_id=round_.id, label=label,
                 unit=unit.name if unit else None, team=code.team.name if code.team else None)
    db.session.commit()
    return code


def revoke(code: QrCode, reason: str, actor) -> None:
    """A revoked code answers 410 and points to the other channels; its scans and reports stay counted."""
    check_changeable(code.round)
    code.revoked_at, code.revoked_reason = utcnow(), reason
    audit.record(actor, "round.code_revoked", round_id=code.round_id, code=code.id, reason=reason)
    db.session.commit()


def restore(code: QrCode, actor) -> None:
    """A code revoked by mistake takes reports again; the audit log keeps both acts and the reason given."""
    check_changeable(code.round)
    audit.record(actor, "round.code_restored", round_id=code.round_id, code=code.id, reason=code.revoked_reason)
    code.revoked_at, code.revoked_reason = None, ""
    db.session.commit()


@dataclass
class CodeFigures:
    code: QrCode
    scans: int
    reports: int


def scan_figures(round_: Round) -> list[CodeFigures]:
    """Scans and web reports per code of the round (each code stands for its unit and location)."""
    reports = dict(db.session.execute(
        select(Report.qr_code_id, func.count()).where(Report.round_id == round_.id).group_by(Report.qr_code_id)
    ).all())
    codes = list(db.session.scalars(
        select(QrCode).where(QrCode.round_id == round_.id)
        .options(selectinload(QrCode.unit), selectinload(QrCode.team)).order_by(QrCode.id)
    ))
    scans = scans_of(codes)
    return [CodeFigures(code, scans[code.id], reports.get(code.id, 0)) for code in codes]
