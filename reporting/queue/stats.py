"""`/staff/stats` and `/staff/stats.xlsx`: the figures of `reporting.followup.figures` for the scope a user chose
among their rounds, counted over the reports they may see, never with an identity."""
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from werkzeug.datastructures import MultiDict

from reporting.access import rounds_for
from reporting.database import positive_id
from reporting.followup.charts import Bar, charts, label, money_wan
from reporting.followup.figures import Scope, figures_of, flatten, scope_rounds
from reporting.models import Round, StaffUser
from reporting.queue.ledger import text_cell

YEARS = range(2000, 2100)


@dataclass
class Stats:
    rounds: list[Round]  # the user's rounds, to choose from
    scope: Scope
    chosen: list[Round]  # the rounds counted
    figures: dict[str, Any] | None  # None when the scope holds no round

    def numbers(self) -> dict[str, int]:
        """Each figure by its dotted key (`received.web`), as the page's tables read them."""
        return dict(flatten(self.figures or {}))

    def charts(self) -> dict[str, list[Bar]]:
        return charts(self.figures) if self.figures else {}

    def money_wan(self) -> str:
        return money_wan(self.figures) if self.figures else "0"


def parse_scope(args: MultiDict, rounds: list[Round]) -> Scope:
    """The scope asked for in the query string (`round` several times, `year`, `linked`); without a round or a
    year, the user's newest round."""
    ids = frozenset(round_id for value in args.getlist("round") if (round_id := positive_id(value)) is not None)
    year = positive_id(args.get("year"))
    year = year if year in YEARS else None
    if not ids and year is None and rounds:
        ids = frozenset({rounds[0].id})
    return Scope(ids, year, args.get("linked") == "1")


def stats(user: StaffUser, args: MultiDict, today: date) -> Stats:
    rounds = rounds_for(user)
    scope = parse_scope(args, rounds)
    chosen = scope_rounds(scope, {round_.id for round_ in rounds})
    return Stats(rounds, scope, chosen, figures_of(user, chosen, today) if chosen else None)


def spreadsheet(figures: dict[str, Any], rounds: list[Round]) -> bytes:
    """An xlsx of the figures: a title row naming the rounds, then key, label and number rows. The labels are
    in Chinese whatever the page's language, as offices file them."""
    workbook = Workbook()
    sheet = workbook.active
    with force_locale("zh_Hans"):
        sheet.title = str(_l("Figures"))
        sheet.append([text_cell("、".join(round_.name for round_ in rounds))])
        sheet.append(["key", str(_l("Figure")), str(_l("Number"))])
        for key, value in flatten(figures):
            sheet.append([text_cell(key), text_cell(label(key)), value])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
