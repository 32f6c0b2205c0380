"""The ledger's three sheets as inspection offices keep them: 台账 (every report), 问题线索 (one row per clue) and
移交 (one row per transfer), each with the spec's columns in the spec's order, then a few that help sorting.

Headers and sheet names are always in Chinese, whatever the user's language: offices file these sheets as
they come out, beside the ones they keep by hand. No column names a reporter: no name, phone, receipt or
anything derived from them. Counts and outcomes come by joins (an outcome is unique per report and kind)
and one grouped subquery, never by a query per row.
"""
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import QueryableAttribute, aliased

from reporting.followup.bodies import body_label
from reporting.followup.outcomes import kinds_of
from reporting.followup.services import overdue
from reporting.labels import CHANNEL_LABELS, KIND_LABELS, NO, STATUS_LABELS, YES
from reporting.models import Outcome, Reminder, Report, StaffUser, Team, Unit, is_group_visit

SUMMARY_LENGTH = 300  # 反映内容摘要: the start of the content; the whole text is on the report's page
ELLIPSIS = "…"
CLOSED = ("filed", "out_of_scope", "duplicate")  # statuses that are themselves the way a report was handled
# 处理方式: how a report was handled, from its status and the decisions it has had.
HANDLING_LABELS = {
    "clue": KIND_LABELS["clue"],
    "transfer": KIND_LABELS["transfer"],
    "clue_transfer": _l("Problem clue, later transferred"),
    **{status: STATUS_LABELS[status] for status in CLOSED},
}

Expression = ColumnElement[Any] | QueryableAttribute[Any]
# An expression that depends on the day of the export (是否逾期).
Selected = Expression | Callable[[date], Expression]
# Turns the values of a column's expressions into its cell. Made once per file, from the names of the
# rounds, so that labels are translated once per file, not per cell (per cell, lookups took half a CSV's time).
Presenter = Callable[..., Any]
MakePresenter = Callable[[Mapping[int, str]], Presenter]


def handling(status: str, clue_number: str | None, transferred_on: date | None) -> str | None:
    """处理方式 as a key of HANDLING_LABELS; None while undecided (a pending proposal changes nothing yet)."""
    if status in CLOSED:
        return status
    decisions = kinds_of(clue_number, transferred_on)
    return "_".join(decisions) or None


def summary(text: str | None) -> str | None:
    """The query reads one character more than SUMMARY_LENGTH, so that a cut text is marked as cut."""
    return text[:SUMMARY_LENGTH] + ELLIPSIS if text and len(text) > SUMMARY_LENGTH else text


def plain(round_names: Mapping[int, str]) -> Presenter:
    return lambda value: value


def labelled(labels: Mapping[Any, Any]) -> MakePresenter:
    def make(round_names: Mapping[int, str]) -> Presenter:
        table = {key: str(label) for key, label in labels.items()}
        return lambda value: None if value is None else table.get(value, value)
    return make


def handling_presenter(round_names: Mapping[int, str]) -> Presenter:
    table = {key: str(label) for key, label in HANDLING_LABELS.items()}
    return lambda status, clue_number, transferred_on: table.get(handling(status, clue_number, transferred_on) or "")


def round_presenter(round_names: Mapping[int, str]) -> Presenter:
    return round_names.get


def group_visit_presenter(round_names: Mapping[int, str]) -> Presenter:
    """集体访 of a visit (yes or no, by the number of visitors); empty for the other channels."""
    yes, no = str(YES), str(NO)
    return lambda visitors: None if visitors is None else yes if is_group_visit(visitors) else no


def fixed(present: Presenter) -> MakePresenter:
    return lambda round_names: present


@dataclass(frozen=True)
class Column:
    header: str  # always Chinese (see the module's docstring)
    expressions: tuple[Selected, ...]
    width: int = 12  # in characters, as Excel counts them (a Chinese character is about two)
    presenter: MakePresenter = field(default=plain)


def col(header: str, expression: Selected, width: int = 12, presenter: MakePresenter = plain) -> Column:
    return Column(header, (expression,), width, presenter)


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    select: Callable[[Select, date], Select]  # the sheet's rows and joins, from the filtered reports and today

    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def expressions(self, today: date) -> list[Expression]:
        return [expression(today) if callable(expression) else expression
                for column in self.columns for expression in column.expressions]

    def presenter(self, round_names: Mapping[int, str]) -> Callable[[Any], list[Any]]:
        """Turns a row into the cells staff read: labels for stored keys, None left empty."""
        parts = [(column.presenter(round_names), len(column.expressions)) for column in self.columns]

        def present(row: Any) -> list[Any]:
            cells, start = [], 0
            for present_column, size in parts:
                cells.append(present_column(*row[start:start + size]))
                start += size
            return cells

        return present


ClueOutcome, TransferOutcome = aliased(Outcome), aliased(Outcome)
REMINDERS = (select(Reminder.report_id, func.count().label("reminders"))
             .group_by(Reminder.report_id).subquery("reminders"))


def with_names(query: Select) -> Select:
    return query.outerjoin(Team, Report.team_id == Team.id).outerjoin(Unit, Report.unit_id == Unit.id)


def every_report(query: Select, today: date) -> Select:
    return with_names(query).outerjoin(StaffUser, Report.assignee_id == StaffUser.id).order_by(Report.id)


def clues(query: Select, today: date) -> Select:
    """Clues round by round in the order they were numbered: "2026-10000" follows "2026-9999"."""
    return (with_names(query).where(Report.clue_number.is_not(None))
            .outerjoin(ClueOutcome, (ClueOutcome.report_id == Report.id) & (ClueOutcome.kind == "clue"))
            .order_by(Report.round_id, func.length(Report.clue_number), Report.clue_number))


def transfers(query: Select, today: date) -> Select:
    return (with_names(query).where(Report.transferred_on.is_not(None))
            .outerjoin(TransferOutcome, (TransferOutcome.report_id == Report.id) & (TransferOutcome.kind == "transfer"))
            .outerjoin(REMINDERS, REMINDERS.c.report_id == Report.id)
            .order_by(Report.id))


def overdue_flag(today: date) -> ColumnElement[bool]:
    """是否逾期 by the rule of the overdue list (/staff/transfers/overdue), on the day of the export."""
    return case((overdue(today), True), else_=False)


NUMBER = col("编号", Report.id, 8)
RECEIVED_ON = col("受理日期", Report.received_on, 12)
SUBJECT = col("被反映人", Report.subject_name, 10)
POSITION = col("职务", Report.subject_position, 14)
UNIT = col("被反映单位", Unit.name, 18)
CATEGORY = col("问题类别", Report.category, 12)
STATUS = col("状态", Report.status, 14, labelled(STATUS_LABELS))
CLUE_NUMBER = col("线索编号", Report.clue_number, 16)
BODY = Column("接收单位", (Report.transfer_body, Report.transfer_body_name), 20, fixed(body_label))
# Named from the file's round names: joining `round` would make the unqualified `status` of the overdue
# rule (the partial indexes' own predicate) ambiguous.
ROUND_NAME = col("轮次", Report.round_id, 18, round_presenter)
TEAM = col("巡察组", Team.name, 12)

LEDGER = Sheet("台账", (
    NUMBER, RECEIVED_ON, col("渠道", Report.channel, 10, labelled(CHANNEL_LABELS)), UNIT, CATEGORY, SUBJECT,
    POSITION, col("反映内容摘要", func.substr(Report.content, 1, SUMMARY_LENGTH + 1), 60, fixed(summary)),
    STATUS, Column("处理方式", (Report.status, Report.clue_number, Report.transferred_on), 16, handling_presenter),
    CLUE_NUMBER, BODY, col("承办人", StaffUser.shown_name, 10),
    col("被反映人单位", Report.subject_unit, 18), ROUND_NAME, TEAM,
    col("来访人数", Report.visitors, 8), col("集体访", Report.visitors, 8, group_visit_presenter),
), every_report)

CLUES = Sheet("问题线索", (
    CLUE_NUMBER, NUMBER, RECEIVED_ON, SUBJECT, POSITION, UNIT, CATEGORY, col("线索摘要", Report.clue_summary, 40),
    col("拟处置方式", Report.clue_disposal, 12), STATUS, col("办结日期", ClueOutcome.concluded_on, 12),
    ROUND_NAME, TEAM,
), clues)

TRANSFERS = Sheet("移交", (
    NUMBER, RECEIVED_ON, BODY, col("文号", Report.transfer_reference, 20), col("移交日期", Report.transferred_on, 12),
    col("要求反馈日期", Report.transfer_due_on, 12), col("反馈日期", Report.transfer_answered_on, 12),
    col("反馈情况", Report.transfer_answer, 40),
    col("是否逾期", overdue_flag, 8, labelled({True: YES, False: NO})),
    col("督办次数", func.coalesce(REMINDERS.c.reminders, 0), 8), col("办结日期", TransferOutcome.concluded_on, 12),
    CLUE_NUMBER, ROUND_NAME, TEAM,
), transfers)

SHEETS = {sheet.name: sheet for sheet in (LEDGER, CLUES, TRANSFERS)}
DEFAULT_SHEET = LEDGER.name
