"""Teams and units after they were added: renamed, a unit moved to another team, removed while nothing points at
them. Reports already routed keep their team when their unit moves: the team that received a report answers for
it (its notes, proposals and decisions are that team's), so only what comes next follows the unit."""
from dataclasses import dataclass

from flask_babel import gettext, ngettext
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from reporting import audit
from reporting.access import check_changeable
from reporting.extensions import db
from reporting.models import QrCode, Report, ReportTally, Team, Unit, staff_team


class NameTaken(ValueError):
    """Another team (or unit) of the round has the name already: residents and the ledger could not tell them apart."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


@dataclass(frozen=True)
class Uses:
    """What still points at a team or unit; while anything does, it stays."""

    reports: int = 0
    codes: int = 0
    units: int = 0
    staff: int = 0
    default_team: bool = False

    def __bool__(self) -> bool:
        return bool(self.reports or self.codes or self.units or self.staff or self.default_team)

    def describe(self) -> str:
        """What points at it, as people count it: '3 reports, 1 QR code'."""
        parts = [text for count, text in (
            (self.reports, ngettext("%(num)d report", "%(num)d reports", self.reports)),
            (self.codes, ngettext("%(num)d QR code", "%(num)d QR codes", self.codes)),
            (self.units, ngettext("%(num)d unit", "%(num)d units", self.units)),
            (self.staff, ngettext("%(num)d staff account", "%(num)d staff accounts", self.staff)),
        ) if count]
        if self.default_team:
            parts.append(gettext("the round's team for web reports whose unit decides none"))
        return gettext(", ").join(parts)


class StillInUse(Exception):
    """A removal refused: `uses` says what still points at the team or unit called `name`."""

    def __init__(self, name: str, uses: Uses):
        super().__init__(f"{name} is still in use")
        self.name = name
        self.uses = uses


def count(query) -> int:
    return db.session.scalar(query) or 0


def team_uses(team: Team) -> Uses:
    return Uses(
        reports=count(select(func.count()).select_from(Report).where(Report.team_id == team.id)),
        codes=count(select(func.count()).select_from(QrCode).where(QrCode.team_id == team.id)),
        units=count(select(func.count()).select_from(Unit).where(Unit.team_id == team.id)),
        staff=count(select(func.count()).select_from(staff_team).where(staff_team.c.team_id == team.id)),
        default_team=team.round.default_team_id == team.id,
    )


def unit_uses(unit: Unit) -> Uses:
    return Uses(
        reports=count(select(func.count()).select_from(Report).where(Report.unit_id == unit.id)),
        codes=count(select(func.count()).select_from(QrCode).where(QrCode.unit_id == unit.id)),
    )


def check_name_free(model: type[Team] | type[Unit], round_id: int, name: str) -> None:
    """NameTaken when another team (or unit) of the round has `name`: when adding one and when renaming it."""
    if count(select(func.count()).select_from(model).where(model.round_id == round_id, model.name == name)):
        raise NameTaken(name)


def rename(item: Team | Unit, name: str, actor) -> bool:
    """A team or unit under a new name, unique among the round's teams (or units), as residents choose among
    them. False when the name is its own already (nothing written)."""
    check_changeable(item.round)
    if name == item.name:
        return False
    check_name_free(type(item), item.round_id, name)
    audit.record(actor, f"round.{kind_of(item)}_renamed", round_id=item.round_id, name=name,
                 previous_name=item.name)
    item.name = name
    db.session.commit()
    return True


def kind_of(item: Team | Unit) -> str:
    """The word for it, team or unit: in the audit's actions and the page's ids."""
    return "team" if isinstance(item, Team) else "unit"


def move_unit(unit: Unit, team: Team, actor) -> bool:
    """The unit goes to `team` with its live codes, so that its posters route new reports there; revoked codes
    and reports already routed keep their team. False when it is that team's already."""
    check_changeable(unit.round)
    if team.round_id != unit.round_id:
        raise ValueError("a unit moves only between teams of its round")
    if team.id == unit.team_id:
        return False
    codes = list(db.session.scalars(select(QrCode).where(QrCode.unit_id == unit.id, QrCode.revoked_at.is_(None))))
    for code in codes:
        code.team = team
    audit.record(actor, "round.unit_moved", round_id=unit.round_id, name=unit.name, from_team=unit.team.name,
                 to_team=team.name, codes_moved=len(codes))
    unit.team = team
    db.session.commit()
    return True


def remove_team(team: Team, actor) -> None:
    """Only a team nothing points at; its tally rows (all zero then) go with it."""
    check_changeable(team.round)
    remove(team, team_uses, actor, "round.team_removed",
           delete(ReportTally).where(ReportTally.round_id == team.round_id, ReportTally.team_key == team.id))


def remove_unit(unit: Unit, actor) -> None:
    check_changeable(unit.round)
    remove(unit, unit_uses, actor, "round.unit_removed")


def remove(item: Team | Unit, uses_of, actor, action: str, *also) -> None:
    """Delete `item` unless something points at it. A report that arrives between the count and the delete is
    caught by its foreign key: the refusal then counts again."""
    uses = uses_of(item)
    if uses:
        raise StillInUse(item.name, uses)
    name, round_id = item.name, item.round_id
    for statement in also:
        db.session.execute(statement)
    audit.record(actor, action, round_id=round_id, name=name)
    db.session.delete(item)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise StillInUse(name, uses_of(item)) from None
