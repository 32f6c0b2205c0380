"""Rounds, their teams and units, and the round's own QR code."""
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from reporting.extensions import db
from reporting.models import QrCode, Report, Round, Team, Unit, utcnow

ROUND_FIELDS = (
    "name", "level", "starts_on", "ends_on", "timezone", "intake_hours",
    "phone", "postal_box", "email", "notice", "categories", "status",
)


def new_token() -> str:
    """96 random bits, URL-safe: unguessable, yet short enough for a low-density, robust QR code."""
    return secrets.token_urlsafe(12)


def intake_url(code: QrCode) -> str:
    return f"{current_app.config['BASE_URL']}/r/{code.token}"


@dataclass
class TeamPlan:
    name: str
    units: list[str]


def create_round(fields: dict, teams: list[TeamPlan]) -> Round:
    """A round with its teams, their units and the round's own QR code, in one transaction."""
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise ValueError(f"unknown round fields: {sorted(unknown)}")
    round_ = Round(**fields)
    db.session.add(round_)
    unit_position = 0
    for team_position, plan in enumerate(teams):
        team = Team(round=round_, name=plan.name, position=team_position)
        db.session.add(team)
        for unit_name in plan.units:
            db.session.add(Unit(round=round_, team=team, name=unit_name, position=unit_position))
            unit_position += 1
    db.session.add(QrCode(round=round_, token=new_token(), is_round_code=True))
    db.session.commit()
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
            "intake_url": intake_url(round_.round_code),
            "teams": [
                {"id": team.id, "name": team.name, "units": [{"id": u.id, "name": u.name} for u in team.units]}
                for team in round_.teams
            ],
        }
        for round_ in rounds
    ]


def today_in(zone_name: str) -> date:
    return utcnow().astimezone(ZoneInfo(zone_name)).date()
