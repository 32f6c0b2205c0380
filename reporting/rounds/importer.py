"""`rounds import`: a round with its teams, units and posting locations from JSON, or locations of an
existing round from CSV. The whole file is checked before anything is written; a bad entry is named."""
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from reporting.access import check_changeable
from reporting.extensions import db
from reporting.links import location_code
from reporting.models import DEFAULT_TIMEZONE, Round, Team, Unit
from reporting.posters.locations import decode, read_locations
from reporting.rounds.forms import MAX_CATEGORY, TIMEZONES
from reporting.rounds.services import DEFAULT_CATEGORIES, TeamPlan, build_round

TEXT_FIELDS = ("name", "level", "timezone", "intake_hours", "phone", "postal_box", "email", "notice")
CSV_COLUMNS = ("team", "unit", "label")


class ImportFailed(ValueError):
    """The file cannot be imported; the message names the line or entry, and nothing was written."""


@dataclass
class Location:
    team: str
    unit: str
    label: str


@dataclass
class Plan:
    fields: dict[str, Any]
    teams: list[TeamPlan] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)


def import_file(path: Path, round_id: int | None = None) -> tuple[Round, int]:
    """Import `path` (JSON: a new round; CSV: locations of round `round_id`); return the round and codes made."""
    text = decode(path.read_bytes())
    round_: Round | None  # a CSV's round is looked up, and may not exist
    if path.suffix.lower() == ".json":
        plan = read_json(text)
        round_ = build_round(plan.fields, plan.teams)  # committed with its locations below
    else:
        if round_id is None:
            raise ImportFailed("a CSV of locations needs --round ID")
        round_ = db.session.get(Round, round_id)
        if round_ is None:
            raise ImportFailed(f"no round with id {round_id}")
        plan = Plan({}, locations=read_csv(text))
    made = add_locations(round_, plan.locations)
    return round_, made


def read_json(text: str) -> Plan:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFailed(f"line {error.lineno}: not valid JSON ({error.msg})") from error
    if not isinstance(data, dict) or not isinstance(data.get("round"), dict):
        raise ImportFailed('the file must be an object with a "round" object')
    plan = Plan(round_fields(data["round"]))
    for number, team in enumerate(data.get("teams", []), start=1):
        name = required_text(team, "name", f"teams[{number}]")
        units = [required_text(unit, "name", f"teams[{number}].units[{index}]")
                 for index, unit in enumerate(team.get("units", []), start=1)]
        plan.teams.append(TeamPlan(name, units))
    unit_teams = {unit: team.name for team in plan.teams for unit in team.units}
    for number, location in enumerate(data.get("locations", []), start=1):
        where = f"locations[{number}]"
        unit = required_text(location, "unit", where)
        if unit not in unit_teams:
            raise ImportFailed(f"{where}: no unit named {unit!r} among the teams")
        plan.locations.append(Location(unit_teams[unit], unit, required_text(location, "label", where)))
    return plan


def round_fields(raw: dict) -> dict[str, Any]:
    fields: dict[str, Any] = {"name": required_text(raw, "name", "round")}
    for name in TEXT_FIELDS[1:]:
        if raw.get(name) is not None:
            fields[name] = str(raw[name]).strip()
    if fields.get("timezone", DEFAULT_TIMEZONE) not in TIMEZONES:
        raise ImportFailed(f"round.timezone: one of {', '.join(TIMEZONES)}")
    for name in ("starts_on", "ends_on"):
        try:
            fields[name] = date.fromisoformat(str(raw.get(name, "")))
        except ValueError as error:
            raise ImportFailed(f"round.{name}: a date as yyyy-mm-dd is required") from error
    if fields["ends_on"] < fields["starts_on"]:
        raise ImportFailed("round.ends_on: the round cannot end before it starts")
    categories = raw.get("categories") or list(DEFAULT_CATEGORIES)
    if not isinstance(categories, list) or not all(isinstance(c, str) and c.strip() for c in categories):
        raise ImportFailed("round.categories: a list of names is required")
    fields["categories"] = [category.strip() for category in categories]
    if any(len(category) > MAX_CATEGORY for category in fields["categories"]):
        raise ImportFailed(f"round.categories: each name at most {MAX_CATEGORY} characters")
    fields["status"] = raw.get("status", "draft")
    if fields["status"] not in ("draft", "open", "closed"):
        raise ImportFailed("round.status: draft, open or closed")
    return fields


def required_text(entry, key: str, where: str) -> str:
    value = entry.get(key) if isinstance(entry, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise ImportFailed(f"{where}.{key}: a non-empty text is required")
    return value.strip()


def read_csv(text: str) -> list[Location]:
    """The posters' reader (posters/locations.py), with teams and units named: they may be new to the round."""
    rows = read_locations(text)
    if not rows[0].team:
        raise ImportFailed(f"line 1: the header must name the columns {', '.join(CSV_COLUMNS)}")
    return [Location(row.team, row.unit, row.label) for row in rows]


def add_locations(round_: Round, locations: list[Location]) -> int:
    """A QR code per location, pinned to its unit and team; missing teams and units of the round are added."""
    check_changeable(round_)
    teams = {team.name: team for team in round_.teams}
    units = {(unit.team.name, unit.name): unit for unit in round_.units}
    for location in locations:
        team = teams.get(location.team)
        if team is None:
            team = teams[location.team] = Team(round=round_, name=location.team, position=len(teams))
        unit = units.get((location.team, location.unit))
        if unit is None:
            unit = units[(location.team, location.unit)] = Unit(round=round_, team=team, name=location.unit,
                                                                position=len(units))
        db.session.add(location_code(round_, unit, location.label))
    db.session.commit()
    return len(locations)
