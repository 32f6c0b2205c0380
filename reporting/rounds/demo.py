"""The demo round and its staff, created once and left alone on later runs."""
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from reporting.extensions import db
from reporting.models import DEFAULT_TIMEZONE, Round, StaffUser, today_in
from reporting.rounds.services import TeamPlan, create_round
from reporting.staff.services import create_staff_user, set_password, validate_password

DEMO_PLAN = Path(__file__).with_name("demo_round.json")


@dataclass
class DemoAccount:
    user: StaffUser
    password: str | None  # None: the account existed and kept its password


def seed_demo(password: str | None) -> tuple[Round, list[DemoAccount]]:
    """An open demo round with two teams of two units and four staff.

    Idempotent: an existing round or account is reused; a password is set only when one is given
    or the account is new. A password the accounts may not have is refused before anything is made (AccountError).
    """
    if password is not None:
        validate_password(password)
    plan = json.loads(DEMO_PLAN.read_text(encoding="utf-8"))
    round_ = db.session.scalar(select(Round).where(Round.name == plan["round"]["name"]))
    if round_ is None:
        today = today_in(DEFAULT_TIMEZONE)
        fields = plan["round"] | {"starts_on": today - timedelta(days=7), "ends_on": today + timedelta(days=60),
                                  "status": "open"}
        teams = [TeamPlan(team["name"], [unit["name"] for unit in team["units"]]) for team in plan["teams"]]
        round_ = create_round(fields, teams)
    return round_, [demo_account(round_, entry, password) for entry in plan["staff"]]


def demo_account(round_: Round, entry: dict, password: str | None) -> DemoAccount:
    user = db.session.scalar(select(StaffUser).where(StaffUser.username == entry["username"]))
    if user is None:
        password = password or secrets.token_urlsafe(9)
        team_ids = [round_.teams[entry["team"] - 1].id] if entry["team"] else []
        return DemoAccount(create_staff_user(entry["username"], password, entry["role"], team_ids), password)
    if password:
        set_password(user, password)
    return DemoAccount(user, password)
