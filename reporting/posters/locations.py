"""Posting locations for posters: read from an admin's CSV, turned into QR codes of their own.

A county round can mean a hundred villages, each with a poster whose scans are counted apart; the
CSV names each posting place (`label`) and, optionally, the inspected unit it belongs to: by id
(`unit_id`), or by team and unit names (`team`, `unit`, as `rounds import` takes them). One reader
serves both the posters command and the import.
"""
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from reporting import audit
from reporting.access import check_changeable
from reporting.extensions import db
from reporting.links import location_code
from reporting.models import QrCode, Round, Unit

HEADERS = ({"label"}, {"label", "unit_id"}, {"team", "unit", "label"})
KNOWN_COLUMNS = {"label", "unit_id", "team", "unit"}  # others (备注, a blank cell Excel left) are ignored
LABEL_MAX_LENGTH = QrCode.label.type.length


class LocationsError(ValueError):
    """A locations file or row that cannot be used; the message names the line."""


@dataclass(frozen=True)
class LocationRow:
    label: str
    unit_id: int | None
    line: int = 0  # where it stood in the file, to name it in errors found later
    team: str = ""  # the unit by names, when the file has `team` and `unit` columns
    unit: str = ""


def read_locations_csv(path: Path) -> list[LocationRow]:
    return read_locations(decode(path.read_bytes()))


def read_locations(text: str) -> list[LocationRow]:
    """Every row of the file, checked whole before anyone acts on it, so a bad row leaves nothing half done."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        columns = read_columns(next(reader, []))
        rows = [parse_row(dict(zip(columns, cells)), cells[len(columns):], reader.line_num)
                for cells in reader if any(cell.strip() for cell in cells)]
    except csv.Error as error:
        raise LocationsError(_l("line %(line)d: %(problem)s", line=reader.line_num, problem=str(error))) from error
    if not rows:
        raise LocationsError(_l("line %(line)d: the file has a header but no locations", line=2))
    return rows


def decode(data: bytes) -> str:
    """UTF-8 (a BOM, as Excel writes it, is dropped) or else GB18030, which Chinese Excel and WPS save by default.

    UTF-8 goes first: GB18030 would also decode most UTF-8 bytes, into the wrong characters.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise LocationsError(_l("line %(line)d: the file is neither UTF-8 nor GB18030", line=line)) from error


def read_columns(header: list[str]) -> list[str]:
    """The header's column names, spaces around them ignored: `label`, `label,unit_id` or `team,unit,label`,
    beside any columns of other names, which are ignored."""
    columns = [name.strip() for name in header]
    if not any(columns):
        raise LocationsError(_l("line %(line)d: the header row is missing; it names label and optionally unit_id",
                                line=1))
    known = [name for name in columns if name in KNOWN_COLUMNS]
    if set(known) not in HEADERS or len(set(known)) != len(known):
        raise LocationsError(_l("line %(line)d: the columns must be label (and optionally unit_id), or team, unit "
                                "and label; not %(columns)s", line=1, columns=", ".join(columns)))
    return columns


def parse_row(record: dict[str, str], extra_cells: list[str], line: int) -> LocationRow:
    if any(cell.strip() for cell in extra_cells):  # empty ones are what a trailing comma leaves
        raise LocationsError(_l("line %(line)d: more cells than columns", line=line))
    label = record.get("label", "").strip()
    if not label:
        raise LocationsError(_l("line %(line)d: the label is empty", line=line))
    if len(label) > LABEL_MAX_LENGTH:
        raise LocationsError(_l("line %(line)d: the label is longer than %(max)d characters", line=line,
                                max=LABEL_MAX_LENGTH))
    unit_id = record.get("unit_id", "").strip()
    if unit_id and not unit_id.isdecimal():
        raise LocationsError(_l("line %(line)d: unit_id %(value)s is not a whole number", line=line,
                                value=repr(unit_id)))
    team, unit = record.get("team", "").strip(), record.get("unit", "").strip()
    if "team" in record and not team:
        raise LocationsError(_l("line %(line)d: the team is empty", line=line))
    if "team" in record and not unit:
        raise LocationsError(_l("line %(line)d: the unit is empty", line=line))
    return LocationRow(label, int(unit_id) if unit_id else None, line, team, unit)


def live_codes_by_place(round_: Round) -> dict[tuple[int | None, str], QrCode]:
    """The round's live location codes by unit and label: a place listed again keeps the code on its wall."""
    codes = [code for code in live_codes(round_) if not code.is_round_code]
    return {(code.unit_id, code.label): code for code in reversed(codes)}  # the oldest wins


def code_for_place(round_: Round, unit: Unit | None, label: str,
                   live: dict[tuple[int | None, str], QrCode]) -> QrCode:
    """The live code of this unit and label, or a new one (not yet added to the session). A unit new to the round
    has no id yet, and no code."""
    found = None if unit is not None and unit.id is None else live.get((unit.id if unit else None, label))
    return found or location_code(round_, unit, label)


def new_location_codes(round_: Round, rows: list[LocationRow]) -> list[QrCode]:
    """The codes, not yet saved: the `posters` command saves them only once their PDF is made. A row naming a
    place that already has a live code gets that code again, so a second run prints the same posters.

    Every unit is checked before any code is made, so a wrong row leaves none.
    """
    check_changeable(round_)
    units: dict[int | None, Unit] = {unit.id: unit for unit in round_.units}  # a row without unit_id finds None
    by_name = {(unit.team.name, unit.name): unit for unit in round_.units}
    for row in rows:
        if row.unit_id is not None and row.unit_id not in units:
            raise LocationsError(_l("line %(line)d: unit %(unit)d is not a unit of this round", line=row.line,
                                    unit=row.unit_id))
        if row.team and (row.team, row.unit) not in by_name:
            raise LocationsError(_l("line %(line)d: no unit %(unit)s of team %(team)s in this round", line=row.line,
                                    unit=row.unit, team=row.team))
    live = live_codes_by_place(round_)
    return [code_for_place(round_, units.get(row.unit_id) or by_name.get((row.team, row.unit)), row.label, live)
            for row in rows]


def save_codes(codes: list[QrCode]) -> list[QrCode]:
    """All in one commit, inserted in multi-row batches rather than a round trip per code."""
    db.session.add_all(codes)
    db.session.flush()
    ids = [code.id for code in codes]
    db.session.commit()
    # The commit expired them; load them back in one query rather than one per poster.
    return load_codes(select(QrCode).where(QrCode.id.in_(ids)))


def note_posters_made(round_: Round, pages: int, file_name: str) -> None:
    """A batch of posters made on the server is on record, like the admin page's acts."""
    audit.record(None, "round.posters", round_id=round_.id, pages=pages, file=file_name)
    db.session.commit()


def codes_for_posters(round_: Round) -> list[QrCode]:
    """The round's live location codes in the order they were made, or its own code when it has none.

    Every code that is not the round's own was made for a poster, so all unrevoked ones get a page.
    """
    return [code for code in live_codes(round_) if not code.is_round_code] or [round_.own_code]


def live_codes(round_: Round) -> list[QrCode]:
    """The round's codes not revoked, its own among them, in the order they were made; with their round, as a
    streamed zip names its files after it once the request's session is gone."""
    return load_codes(select(QrCode).where(QrCode.round_id == round_.id, QrCode.revoked_at.is_(None))
                      .options(selectinload(QrCode.round)))


def load_codes(query) -> list[QrCode]:
    """Codes in id order with their team and unit, which every poster prints."""
    return list(db.session.scalars(
        query.options(selectinload(QrCode.team), selectinload(QrCode.unit)).order_by(QrCode.id)
    ))
