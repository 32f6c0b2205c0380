"""`rounds import`: a round with its teams, units and posting locations from JSON, or locations of an
existing round from CSV. The whole file is checked before anything is written; a bad entry is named."""
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l

from reporting import audit
from reporting.access import check_changeable
from reporting.extensions import db
from reporting.followup.bodies import (
    DEFAULT_BODIES,
    DEFAULT_RANK_BODIES,
    bodies_refusal,
    distinct_bodies,
    ranked_body,
)
from reporting.i18n import ROUND_LANGUAGES, WRITTEN_FIELDS, unknown_languages
from reporting.models import DEFAULT_TIMEZONE, Round, Team, Unit
from reporting.posters.locations import code_for_place, decode, live_codes_by_place, read_locations
from reporting.rounds.forms import MAX_BODY, MAX_CATEGORY, TIMEZONES
from reporting.rounds.services import DEFAULT_CATEGORIES, TeamPlan, build_round

TEXT_FIELDS = ("name", "level", "timezone", "intake_hours", "phone", "postal_box", "email", "notice")
# What `round` may hold: a key not here is a typo that would otherwise be dropped without a word.
ROUND_KEYS = (*TEXT_FIELDS, "starts_on", "ends_on", "categories", "status", "replies_need_approval", "languages",
              "translations", "parent_id", "is_revisit", "receiving_bodies", "rank_bodies")
CSV_COLUMNS = ("team", "unit", "label")


class ImportFailed(ValueError):
    """The file cannot be imported; the message names the line or entry, and nothing was written."""


@dataclass
class Location:
    team: str
    unit: str
    label: str
    line: int = 0  # of a CSV, to name it


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
            raise ImportFailed(_l("a CSV of locations needs --round ID"))
        round_ = db.session.get(Round, round_id)
        if round_ is None:
            raise ImportFailed(_l("no round with id %(id)d", id=round_id))
        plan = Plan({}, locations=read_csv(text))
    # committed with the locations, or not at all
    audit.record(None, "round.imported", round_id=round_.id, file=path.name, locations=len(plan.locations))
    made = add_locations(round_, plan.locations)
    return round_, made


def read_json(text: str) -> Plan:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFailed(_l("line %(line)d: not valid JSON (%(problem)s)", line=error.lineno,
                              problem=error.msg)) from error
    if not isinstance(data, dict) or not isinstance(data.get("round"), dict):
        raise ImportFailed(_l('the file must be an object with a "round" object'))
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
            raise ImportFailed(_l("%(where)s: no unit named %(unit)s among the teams", where=where, unit=repr(unit)))
        plan.locations.append(Location(unit_teams[unit], unit, required_text(location, "label", where)))
    return plan


def round_fields(raw: dict) -> dict[str, Any]:
    if unknown := [key for key in raw if key not in ROUND_KEYS]:
        raise ImportFailed(_l("%(where)s: no field %(keys)s; the fields are %(known)s", where="round",
                              keys=", ".join(map(repr, unknown)), known=", ".join(ROUND_KEYS)))
    fields: dict[str, Any] = {"name": required_text(raw, "name", "round")}
    for name in TEXT_FIELDS[1:]:
        if raw.get(name) is not None:
            fields[name] = str(raw[name]).strip()
    if fields.get("timezone", DEFAULT_TIMEZONE) not in TIMEZONES:
        raise ImportFailed(_l("%(where)s: one of %(zones)s", where="round.timezone", zones=", ".join(TIMEZONES)))
    for name in ("starts_on", "ends_on"):
        try:
            fields[name] = date.fromisoformat(str(raw.get(name, "")))
        except ValueError as error:
            raise ImportFailed(_l("%(where)s: a date as yyyy-mm-dd is required", where=f"round.{name}")) from error
    if fields["ends_on"] < fields["starts_on"]:
        raise ImportFailed(_l("%(where)s: the round cannot end before it starts", where="round.ends_on"))
    categories = raw.get("categories") or list(DEFAULT_CATEGORIES)
    if not isinstance(categories, list) or not all(isinstance(c, str) and c.strip() for c in categories):
        raise ImportFailed(_l("%(where)s: a list of names is required", where="round.categories"))
    fields["categories"] = [category.strip() for category in categories]
    if any(len(category) > MAX_CATEGORY for category in fields["categories"]):
        raise ImportFailed(_l("%(where)s: each name at most %(max)d characters", where="round.categories",
                              max=MAX_CATEGORY))
    fields["status"] = raw.get("status", "draft")
    if fields["status"] not in ("draft", "open", "closed"):
        raise ImportFailed(_l("%(where)s: draft, open or closed", where="round.status"))
    approval = raw.get("replies_need_approval", False)
    if not isinstance(approval, bool):
        raise ImportFailed(_l("%(where)s: true or false", where="round.replies_need_approval"))
    codes = languages(raw)
    return fields | linked_fields(raw) | bodies(raw) | {"replies_need_approval": approval, "languages": codes,
                                                        "translations": written_texts(raw, codes)}


def bodies(raw: dict) -> dict[str, Any]:
    """`receiving_bodies` (接收单位, a list of names) and `rank_bodies` ({rank: one of them}), as the round's page
    takes them; the defaults where left out."""
    names = raw.get("receiving_bodies", list(DEFAULT_BODIES))
    if not isinstance(names, list) or not all(isinstance(name, str) and name.strip() for name in names):
        raise ImportFailed(_l("%(where)s: a list of names is required", where="round.receiving_bodies"))
    names = distinct_bodies(names)
    if refusal := bodies_refusal(names, MAX_BODY):
        raise ImportFailed(_l("%(where)s: %(reason)s", where="round.receiving_bodies", reason=refusal))
    table = raw.get("rank_bodies", {rank: body for rank, body in DEFAULT_RANK_BODIES.items() if body in names})
    if not isinstance(table, dict) or not all(isinstance(body, str) and ranked_body(rank, body, names)
                                              for rank, body in table.items()):
        raise ImportFailed(_l("%(where)s: each a known rank and one of the receiving bodies",
                              where="round.rank_bodies"))
    return {"receiving_bodies": names, "rank_bodies": table}


def languages(raw: dict) -> list[str]:
    """`languages`: codes of the site's languages beside Chinese, such as ["bo"] (SPEC "Languages of a round")."""
    codes = raw.get("languages", [])
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        raise ImportFailed(_l("%(where)s: a list of language codes is required", where="round.languages"))
    if unknown := unknown_languages(codes):
        raise ImportFailed(_l("%(where)s: no language %(codes)s on this site; one of %(known)s",
                              where="round.languages", codes=", ".join(map(repr, unknown)),
                              known=", ".join(ROUND_LANGUAGES)))
    return list(dict.fromkeys(codes))


def written_texts(raw: dict, codes: list[str]) -> dict[str, dict[str, str]]:
    """`translations`: the round's own words in its languages, {"bo": {"name": ..., "notice": ...}}."""
    texts = raw.get("translations", {})
    where = "round.translations"
    if not isinstance(texts, dict) or not all(code in codes and isinstance(written, dict)
                                              for code, written in texts.items()):
        raise ImportFailed(_l("%(where)s: an object of the round's languages (%(codes)s), each an object",
                              where=where, codes=", ".join(codes) or "—"))
    for code, written in texts.items():
        if not all(name in WRITTEN_FIELDS and isinstance(value, str) for name, value in written.items()):
            raise ImportFailed(_l("%(where)s: texts of %(fields)s only", where=f"{where}.{code}",
                                  fields=", ".join(WRITTEN_FIELDS)))
    return {code: {name: value.strip() for name, value in written.items() if value.strip()}
            for code, written in texts.items()}


def linked_fields(raw: dict) -> dict[str, Any]:
    """`parent_id` (an existing round's id) and `is_revisit` (回头看, which needs the parent it revisits)."""
    parent_id, revisit = raw.get("parent_id"), raw.get("is_revisit", False)
    if parent_id is not None and (isinstance(parent_id, bool) or not isinstance(parent_id, int)
                                  or db.session.get(Round, parent_id) is None):
        raise ImportFailed(_l("%(where)s: the id of an existing round", where="round.parent_id"))
    if not isinstance(revisit, bool) or (revisit and parent_id is None):
        raise ImportFailed(_l("%(where)s: true or false; a revisit names its parent_id", where="round.is_revisit"))
    return {"parent_id": parent_id, "is_revisit": revisit}


def required_text(entry, key: str, where: str) -> str:
    value = entry.get(key) if isinstance(entry, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise ImportFailed(_l("%(where)s: a non-empty text is required", where=f"{where}.{key}"))
    return value.strip()


def read_csv(text: str) -> list[Location]:
    """The posters' reader (posters/locations.py), with teams and units named: they may be new to the round."""
    rows = read_locations(text)
    if not rows[0].team:
        raise ImportFailed(_l("line %(line)d: the header must name the columns %(columns)s", line=1,
                              columns=", ".join(CSV_COLUMNS)))
    return [Location(row.team, row.unit, row.label, row.line) for row in rows]


def check_units_stay_in_their_teams(round_: Round, locations: list[Location]) -> None:
    """A unit the round has under one team, named under another, is a mistake in the file, not a new unit."""
    team_of_unit = {unit.name: unit.team.name for unit in round_.units}
    for location in locations:
        team = team_of_unit.get(location.unit, location.team)
        if team != location.team:
            raise ImportFailed(_l("line %(line)d: the unit %(unit)s belongs to %(team)s, not to %(named)s",
                                  line=location.line, unit=location.unit, team=team, named=location.team))


def add_locations(round_: Round, locations: list[Location]) -> int:
    """A QR code per location, pinned to its unit and team; missing teams and units of the round are added, and a
    place that already has a live code keeps it. Checked whole before anything is added."""
    check_changeable(round_)
    check_units_stay_in_their_teams(round_, locations)
    teams = {team.name: team for team in round_.teams}
    units = {(unit.team.name, unit.name): unit for unit in round_.units}
    live = live_codes_by_place(round_)
    for location in locations:
        team = teams.get(location.team)
        if team is None:
            team = teams[location.team] = Team(round=round_, name=location.team, position=len(teams))
        unit = units.get((location.team, location.unit))
        if unit is None:
            unit = units[(location.team, location.unit)] = Unit(round=round_, team=team, name=location.unit,
                                                                position=len(units))
        db.session.add(code_for_place(round_, unit, location.label, live))
    db.session.commit()
    return len(locations)
