"""`/staff/stats`: a round's figures for the team's report upward (报告): received by channel, category and
unit, and what became of them. Counted over the reports the user may see, never with an identity."""
from dataclasses import dataclass

from sqlalchemy import func, select

from reporting.access import visible_reports
from reporting.extensions import db
from reporting.models import Report, Round, StaffUser, Unit


@dataclass
class Figures:
    total: int
    by_status: list[tuple[str, int]]
    by_channel: list[tuple[str, int]]
    by_category: list[tuple[str, int]]
    by_unit: list[tuple[str, int]]
    clues: int
    transfers: int
    answered: int


def round_figures(user: StaffUser, round_: Round) -> Figures:
    """One GROUP BY per breakdown over the round's visible reports (a round holds thousands, not millions)."""
    reports = visible_reports(user).where(Report.round_id == round_.id).subquery()

    def grouped(column) -> list[tuple[str, int]]:
        rows = db.session.execute(select(column, func.count()).group_by(column).order_by(func.count().desc()))
        return [(key or "", count) for key, count in rows]

    def counted(*conditions) -> int:
        return db.session.execute(select(func.count()).select_from(reports).where(*conditions)).scalar_one()

    units = grouped_units(reports)
    return Figures(
        total=counted(),
        by_status=grouped(reports.c.status),
        by_channel=grouped(reports.c.channel),
        by_category=grouped(reports.c.category),
        by_unit=units,
        clues=counted(reports.c.clue_number.is_not(None)),
        transfers=counted(reports.c.transfer_body != ""),
        answered=counted(reports.c.transfer_answer != ""),
    )


def grouped_units(reports) -> list[tuple[str, int]]:
    rows = db.session.execute(
        select(Unit.name, func.count()).select_from(reports).outerjoin(Unit, Unit.id == reports.c.unit_id)
        .group_by(Unit.name).order_by(func.count().desc())
    )
    return [(name or "", count) for name, count in rows]
