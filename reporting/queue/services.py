"""The staff queue: what a user may see, filtered, newest first, one page at a time, with per-status counts.

Every query starts from `access.visible_reports`. A page costs the same at a thousand reports or a
million: it is cut by keyset (`id < before`), never by OFFSET, and the slice of the table it reads is
walked in id order by an index (see `scope_slices`); a queue bounded by `from`/`to` is walked in
(received_on, id) order instead (`received_slice`). Nothing here reads a reporter's identity.
"""
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, Subquery, exists, func, literal_column, or_, select, tuple_, union_all
from sqlalchemy.sql.base import ReadOnlyColumnCollection

from reporting import tally
from reporting.access import (
    decides,
    is_admin,
    may_route,
    oversees_team_work,
    rounds_for,
    visible_reports,
    visible_team_keys,
)
from reporting.database import given_day, positive_id
from reporting.extensions import db
from reporting.followup.services import overdue
from reporting.limits import round_flooded
from reporting.models import (
    CHANNELS,
    DEFAULT_TIMEZONE,
    REPORT_STATUSES,
    Message,
    Report,
    ReportRead,
    ReportTally,
    Round,
    StaffUser,
    Team,
    Unit,
    today_in,
)
from reporting.replies import RETURNED, UNSENT, WAITING
from reporting.rounds.services import open_rounds
from reporting.text import clean_text
from reporting.triage.rules import OPEN

PAGE_SIZE = 50
EXCERPT_LENGTH = 80
MAX_TERM_LENGTH = 100
SEARCHED_COLUMNS = (Report.content, Report.subject_name, Report.subject_unit, Report.subject_position)
LIKE_ESCAPE = "/"
UNROUTED = "none"  # `team=none`: reports no team has yet (待分派), which admins route
ASSIGNED_TO_ME = "me"  # `assignee=me`
UNASSIGNED = "none"  # `assignee=none`: reports no one is assigned to yet
OPEN_STATUSES = "open"  # `status=open`: every status still being worked (triage.rules.OPEN)
STATUS_GROUPS = {OPEN_STATUSES: OPEN}
NO_ASSIGNEE = _l("Not assigned to anyone yet")
UNREAD = "1"  # `unread=1`
REPORT_COLUMNS = Report.__table__.c
TOTAL_CAP = 10_000  # a total past this is said as "more than": counting further would grow with the table
WAITING_REPLIES = "waiting"  # `reply=waiting`: reports with a draft reply waiting for a leader
# Written out, not bound: PostgreSQL uses the partial index ix_message_waiting_report_id only for the literal.
DRAFT_WAITING = Message.review == literal_column(f"'{WAITING}'")


def one_of(value: str | None, allowed: Sequence[str]) -> str | None:
    return value if value in allowed else None


def statuses(status: str) -> tuple[str, ...]:
    """The statuses a `status` filter selects: one, or a group of them."""
    return STATUS_GROUPS.get(status, (status,))


def assignee_arg(value: str | None, user: StaffUser | None) -> str | None:
    """`assignee` as the user may ask it: `me`, `none`, or an account's id for those who oversee a team's work
    (anyone for their own id). What the user sees is still bounded by their teams (`visible_reports`)."""
    if value in (ASSIGNED_TO_ME, UNASSIGNED):
        return value if user is not None or value == UNASSIGNED else None
    account_id = positive_id(value)
    if account_id is None or user is None or not (oversees_team_work(user) or account_id == user.id):
        return None
    return str(account_id)


def term(value: str | None, max_length: int = MAX_TERM_LENGTH) -> str | None:
    value = clean_text(value).strip()[:max_length]
    return value or None


@dataclass(frozen=True)
class QueueFilters:
    """The queue's filters, shared by the page and the exports; None means not filtered."""

    status: str | None = None
    round_id: int | None = None
    team_id: int | None = None
    unit_id: int | None = None
    category: str | None = None
    channel: str | None = None
    q: str | None = None
    unrouted: bool = False
    assignee_id: int | None = None  # `assignee=me` or `assignee=<id>`: the reports assigned to that account
    assignee: str | None = None  # the `assignee` argument as given: `me`, `none` or an id
    overdue: bool = False  # `overdue=1`: transfers whose answer is overdue (the 督办 list's rule)
    received_from: date | None = None  # `from`, inclusive
    received_to: date | None = None  # `to`, inclusive
    unread_by: int | None = None  # `unread=1`: the reports the user asking has not opened yet
    ignored: tuple[str, ...] = ()  # what was given but not applied, and why: the IGNORED reasons
    waiting_reply: bool = False  # `reply=waiting`: a draft reply waits for a leader's approval

    # Query-string names (the spec's `team`, `unit`) of the fields above.
    ARG_NAMES = {"status": "status", "round_id": "round", "team_id": "team", "unit_id": "unit",
                 "category": "category", "channel": "channel", "q": "q", "assignee": "assignee",
                 "received_from": "from", "received_to": "to"}

    @classmethod
    def from_args(cls, args: Mapping[str, str], user: StaffUser | None = None) -> "QueueFilters":
        """Parse request arguments; a value that makes no sense is dropped rather than answered with an error,
        and a dropped date is named in `ignored` so that the page can say so. `assignee=me`, `assignee=<id>`
        and `unread=1` need the user asking."""
        assignee = assignee_arg(args.get("assignee"), user)
        received_from, received_to, ignored = received_range(args.get("from"), args.get("to"))
        return cls(
            assignee=assignee,
            assignee_id=(user.id if assignee == ASSIGNED_TO_ME and user is not None
                         else positive_id(assignee)),
            overdue=args.get("overdue") == "1",
            unread_by=user.id if user is not None and args.get("unread") == UNREAD else None,
            received_from=received_from,
            received_to=received_to,
            ignored=ignored,
            status=one_of(args.get("status"), (*REPORT_STATUSES, *STATUS_GROUPS)),
            round_id=positive_id(args.get("round")),
            team_id=positive_id(args.get("team")),
            unrouted=args.get("team") == UNROUTED,
            unit_id=positive_id(args.get("unit")),
            category=term(args.get("category")),
            channel=one_of(args.get("channel"), CHANNELS),
            q=term(args.get("q")),
            waiting_reply=args.get("reply") == WAITING_REPLIES,
        )

    def as_args(self) -> dict[str, str]:
        """The filters in force as query-string arguments: for links that keep them, and for the audit trail."""
        args = {self.ARG_NAMES[name]: str(value) for name, value in asdict(self).items()
                if value is not None and name in self.ARG_NAMES}
        args |= {"overdue": "1"} if self.overdue else {}
        if self.unread_by is not None:
            args["unread"] = UNREAD
        if self.waiting_reply:
            args["reply"] = WAITING_REPLIES
        return args | {"team": UNROUTED} if self.unrouted else args

    @property
    def dated(self) -> bool:
        """Whether a day bounds the received date: such a queue is read newest received first (see `slice_ids`)."""
        return (self.received_from, self.received_to) != (None, None)


def received_range(given_from: str | None, given_to: str | None) -> tuple[date | None, date | None, tuple[str, ...]]:
    """The days `from` and `to` name, and what was ignored: "from" or "to" that is no date (yyyy-mm-dd, what
    `<input type="date">` sends), "range" for a start after the end (both dropped: neither alone was meant)."""
    received_from, received_to = given_day(given_from), given_day(given_to)
    ignored = tuple(name for name, given, day in (("from", given_from, received_from), ("to", given_to, received_to))
                    if (given or "").strip() and day is None)
    if received_from is not None and received_to is not None and received_from > received_to:
        return None, None, (*ignored, "range")
    return received_from, received_to, ignored


def assignee_shown(filters: QueueFilters) -> str | None:
    """Whose reports the queue shows when it says so (`assignee=<id>` or `none`): the name staff read."""
    if filters.assignee == UNASSIGNED:
        return str(NO_ASSIGNEE)
    if filters.assignee in (None, ASSIGNED_TO_ME):
        return None
    account = db.session.get(StaffUser, filters.assignee_id)
    return account.shown_name if account is not None else None


def numbered_report(user: StaffUser, term_: str | None) -> int | None:
    """The report whose number was typed into the search, if the user may see it: staff quote numbers."""
    number = positive_id(term_)
    if number is None:
        return None
    return db.session.scalar(visible_reports(user).with_only_columns(Report.id).where(Report.id == number))


def like_pattern(text: str) -> str:
    """`%text%` with the user's own % and _ taken literally."""
    escaped = text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")
    return f"%{escaped}%"


def matches(text: str) -> ColumnElement[bool]:
    """The search: a substring of the content or of the person reported, Chinese or not.

    A term with no letter case (Chinese, digits) is matched with LIKE, which PostgreSQL runs several times
    faster than ILIKE on multibyte text; only a term with letters pays for ILIKE (SQLite renders it as
    lower() LIKE lower()). No index serves '%term%' for one- and two-character Chinese terms, so the
    search filters the scope's index walk, newest first: a frequent term fills a page quickly, a rare one
    reads the whole scope (see BENCHMARKS.md).
    """
    pattern = like_pattern(text)
    caseless = text.lower() == text.upper()
    return or_(*(
        column.like(pattern, escape=LIKE_ESCAPE) if caseless else column.ilike(pattern, escape=LIKE_ESCAPE)
        for column in SEARCHED_COLUMNS
    ))


def filtered(query: Select, filters: QueueFilters) -> Select:
    """`query` narrowed by every filter that is set."""
    equalities = {
        Report.round_id: filters.round_id, Report.team_id: filters.team_id,
        Report.unit_id: filters.unit_id, Report.category: filters.category, Report.channel: filters.channel,
        Report.assignee_id: filters.assignee_id,
    }
    for column, value in equalities.items():
        if value is not None:
            query = query.where(column == value)
    if filters.status is not None:
        query = query.where(Report.status.in_(statuses(filters.status)))
    if filters.unrouted:
        query = query.where(Report.team_id.is_(None))
    if filters.assignee == UNASSIGNED:
        query = query.where(Report.assignee_id.is_(None))
    if filters.overdue:
        query = query.where(overdue(today_in(DEFAULT_TIMEZONE)))
    if filters.q is not None:
        query = query.where(matches(filters.q))
    if filters.received_from is not None:
        query = query.where(Report.received_on >= filters.received_from)
    if filters.received_to is not None:
        query = query.where(Report.received_on <= filters.received_to)
    if filters.unread_by is not None:
        # An anti-join probing report_read's primary key (staff_user_id, report_id) once per report walked.
        query = query.where(~exists().where(ReportRead.staff_user_id == filters.unread_by,
                                            ReportRead.report_id == Report.id))
    if filters.waiting_reply:
        query = query.where(Report.id.in_(select(Message.report_id).where(DRAFT_WAITING)))
    return query


def scope_slices(user: StaffUser, filters: QueueFilters) -> list[ColumnElement[bool] | None]:
    """Equalities that split what the user may see into slices, each read newest first along one index.

    PostgreSQL cannot read `team_id IN (a, b)` in id order from any index, so it would walk the whole
    primary key past other teams' reports; nor `status = s` across rounds. Per unit, team or round it can:
    (unit_id, id), (team_id, id), (team_id, status, id), (round_id, id), (round_id, status, id),
    (round_id, category, id), (round_id, channel, id). The page is the newest rows of the slices' newest.
    None is the whole scope: an admin's queue without such filters walks the primary key alone. A queue bounded
    by received dates is walked along (unit_id|team_id, received_on, id), or (received_on, id).
    """
    if filters.assignee_id is not None:  # a member's own work: few, walked along (assignee_id, id)
        return [Report.assignee_id == filters.assignee_id]
    if filters.waiting_reply:  # few reports, found from the drafts' partial index rather than by walking the scope
        return [None]
    if filters.unit_id is not None:
        return [Report.unit_id == filters.unit_id]
    if filters.team_id is not None:
        return [Report.team_id == filters.team_id]
    if filters.unrouted:
        # `filtered` already says team_id IS NULL, which the partial index ix_report_unrouted_id walks newest
        # first; said twice, PostgreSQL squares its estimate and sorts every unrouted report instead.
        return [None]
    if not is_admin(user):
        return [Report.team_id == team.id for team in user.teams if filters.round_id in (None, team.round_id)]
    if filters.dated:  # walked along (received_on, id), the other filters filtering it: a day holds every round
        return [None]
    if filters.round_id is not None:
        return [Report.round_id == filters.round_id]
    if (filters.status, filters.category, filters.channel) != (None, None, None):
        return [Report.round_id == round_id for round_id in db.session.scalars(select(Round.id).order_by(Round.id))]
    return [None]


def slice_ids(user: StaffUser, filters: QueueFilters, condition: ColumnElement[bool] | None,
              before_id: int | None, limit: int) -> Subquery:
    """The newest `limit` ids of one slice below `before_id`.

    The walk starts at the slice's own newest id (one index probe): ids grow with time, so an old round's
    or team's reports lie deep in the primary key, and PostgreSQL, which assumes them spread evenly, would
    otherwise sometimes walk the key from the top through every newer report.
    A queue bounded by received dates is read newest received first instead (`received_slice`).
    """
    query = filtered(visible_reports(user), filters)
    if filters.dated:
        return received_slice(user, query, condition, before_id, limit)
    newest = visible_reports(user)
    if before_id is not None:
        query = query.where(Report.id < before_id)
        newest = newest.where(Report.id < before_id)
    if condition is not None:
        newest_id = newest.where(condition).with_only_columns(func.max(Report.id)).correlate(None).scalar_subquery()
        query = query.where(condition, Report.id <= newest_id)
    return query.with_only_columns(Report.id).order_by(Report.id.desc()).limit(limit).subquery()


def received_slice(user: StaffUser, query: Select, condition: ColumnElement[bool] | None, before_id: int | None,
                   limit: int) -> Subquery:
    """The `limit` reports of one slice received last, below the report `before_id` in that order.

    Ids order reports as they were entered, not as they were received (a letter may be recorded weeks later),
    so a walk in id order to an old day would first pass every newer report. Ordered by (received_on, id),
    the walk starts at the range's last day along its slice's (..., received_on, id) or (received_on, id) and reads
    about one page, whatever the table holds. The next page starts below `before`'s own (received_on, id).
    """
    if condition is not None:
        query = query.where(condition)
    if before_id is not None:  # the cursor's day, from what the user may see: another team's report is no cursor
        before_day = (visible_reports(user).with_only_columns(Report.received_on).where(Report.id == before_id)
                      .correlate(None).scalar_subquery())
        query = query.where(tuple_(Report.received_on, Report.id) < tuple_(before_day, before_id))
    columns = [REPORT_COLUMNS[key] for key in page_order(True)]
    return query.with_only_columns(*columns).order_by(*newest_first(True)).limit(limit).subquery()


def page_order(dated: bool) -> tuple[str, ...]:
    """The columns a page is ordered by: received date then id in a queue bounded by dates, else id alone."""
    return ("received_on", "id") if dated else ("id",)


def newest_first(dated: bool, columns: ReadOnlyColumnCollection = REPORT_COLUMNS) -> list[ColumnElement]:
    """`page_order`, descending: of the report table, or of the same-named `columns` of a subquery."""
    return [columns[key].desc() for key in page_order(dated)]


def page_ids(user: StaffUser, filters: QueueFilters, before_id: int | None, limit: int) -> Select | None:
    """SELECT of the ids of one page (newest first, below `before_id`); None when the user sees no slice."""
    slices = [slice_ids(user, filters, condition, before_id, limit) for condition in scope_slices(user, filters)]
    if not slices:
        return None
    keys = page_order(filters.dated)
    # Each slice is a subquery of its own: SQLite refuses parentheses around the parts of a UNION.
    parts = [select(*(part.c[key] for key in keys)) for part in slices]
    ids = union_all(*parts).subquery() if len(slices) > 1 else slices[0]
    return select(ids.c.id).order_by(*newest_first(filters.dated, ids.c)).limit(limit)


ROW_COLUMNS = (
    Report.id, Report.received_on, Report.channel, Round.name.label("round_name"), Round.timezone,
    Team.name.label("team_name"), Unit.name.label("unit_name"), Report.category, Report.subject_name,
    Report.subject_unit, Report.subject_position, func.substr(Report.content, 1, EXCERPT_LENGTH + 1).label("excerpt"),
    Report.status, Report.proposal_returned, StaffUser.shown_name.label("assignee"),
)


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue. Deliberately holds nothing of the reporter's identity."""

    id: int
    received_on: date
    age_days: int
    channel: str
    round_name: str
    team_name: str | None
    unit_name: str | None
    category: str
    subject_name: str
    subject_unit: str
    subject_position: str
    excerpt: str
    status: str
    assignee: str | None
    unread: bool
    returned: bool = False  # a leader sent the proposal back, and nothing was decided since
    draft_waiting: bool = False  # a draft reply waits for a leader's approval
    draft_returned: bool = False  # a leader returned a draft reply to its author, who has not revised it yet


@dataclass(frozen=True)
class Page:
    rows: list[QueueRow]
    next_before_id: int | None  # the `before` of the next, older page; None on the last page


def queue_row(row, read_ids: set[int], drafts: dict[int, set[str]]) -> QueueRow:
    excerpt = row.excerpt if len(row.excerpt) <= EXCERPT_LENGTH else row.excerpt[:EXCERPT_LENGTH] + "…"
    return QueueRow(
        id=row.id, received_on=row.received_on, age_days=(today_in(row.timezone) - row.received_on).days,
        channel=row.channel, round_name=row.round_name, team_name=row.team_name, unit_name=row.unit_name,
        category=row.category, subject_name=row.subject_name, subject_unit=row.subject_unit,
        subject_position=row.subject_position, excerpt=excerpt, status=row.status, assignee=row.assignee,
        unread=row.id not in read_ids, returned=row.proposal_returned,
        draft_waiting=WAITING in drafts.get(row.id, ()), draft_returned=RETURNED in drafts.get(row.id, ()),
    )


def rows_query(user: StaffUser) -> Select:
    """The queue's columns with the names of round, team, unit and assignee, from what `user` may see."""
    return (
        visible_reports(user)
        .with_only_columns(*ROW_COLUMNS, maintain_column_froms=True)
        .join(Round, Report.round_id == Round.id)
        .outerjoin(Team, Report.team_id == Team.id)
        .outerjoin(Unit, Report.unit_id == Unit.id)
        .outerjoin(StaffUser, Report.assignee_id == StaffUser.id)
    )


def read_report_ids(user: StaffUser, report_ids: list[int]) -> set[int]:
    """Which of these reports `user` has opened: one query for the whole page."""
    if not report_ids:
        return set()
    return set(db.session.scalars(
        select(ReportRead.report_id).where(ReportRead.staff_user_id == user.id, ReportRead.report_id.in_(report_ids))
    ))


def draft_reviews(report_ids: list[int]) -> dict[int, set[str]]:
    """The reviews of these reports' unsent drafts (waiting for a leader, or returned to their author): one query for
    the page, along the messages' index on their report."""
    reviews: dict[int, set[str]] = {}
    if not report_ids:
        return reviews
    found = db.session.execute(select(Message.report_id, Message.review).where(
        Message.report_id.in_(report_ids), Message.review.in_(UNSENT)))
    for report_id, review in found:
        reviews.setdefault(report_id, set()).add(review)
    return reviews


def waiting_replies(user: StaffUser) -> int | None:
    """How many draft replies wait for approval in what `user` may see, for leaders and admins (None for members):
    read from the drafts' partial index, each joined to its report, never by scanning the messages."""
    if not decides(user):
        return None
    drafts = visible_reports(user).with_only_columns(func.count(Message.id), maintain_column_froms=True)
    return db.session.scalar(drafts.join(Message, Message.report_id == Report.id).where(DRAFT_WAITING)) or 0


def queue_page(user: StaffUser, filters: QueueFilters, before_id: int | None = None, size: int = PAGE_SIZE) -> Page:
    """One page of the queue, newest first; one row more than shown is read to know whether older ones exist."""
    ids = page_ids(user, filters, before_id, size + 1)
    if ids is None:
        return Page([], None)
    found = db.session.execute(rows_query(user).where(Report.id.in_(ids)).order_by(*newest_first(filters.dated))).all()
    shown = found[:size]
    ids_shown = [row.id for row in shown]
    read_ids, drafts = read_report_ids(user, ids_shown), draft_reviews(ids_shown)
    rows = [queue_row(row, read_ids, drafts) for row in shown]
    return Page(rows, rows[-1].id if len(found) > size else None)


def status_counts(user: StaffUser, filters: QueueFilters = QueueFilters()) -> dict[str, int]:
    """Reports per status in what `user` may see, from the tally (never by counting reports).

    The tally knows round, team and status only, so the counts ignore the other filters. Reports not
    yet routed (team_key 0) count for admins only, as only they see them.
    """
    query = select(ReportTally.status, func.sum(ReportTally.count)).group_by(ReportTally.status)
    team_keys = visible_team_keys(user)
    if team_keys is not None:
        query = query.where(ReportTally.team_key.in_(team_keys))
    if filters.round_id is not None:
        query = query.where(ReportTally.round_id == filters.round_id)
    if filters.team_id is not None or filters.unrouted:
        query = query.where(ReportTally.team_key == tally.team_key(filters.team_id))
    totals = dict(db.session.execute(query).all())
    return {status: int(totals.get(status) or 0) for status in REPORT_STATUSES}


@dataclass(frozen=True)
class Total:
    count: int
    more: bool = False  # past TOTAL_CAP: "more than `count`"


def matching_total(user: StaffUser, filters: QueueFilters) -> Total | None:
    """How many reports match: from the tally when it knows every filter in force (round, team, status), else
    counted along the filters' indexes, no further than TOTAL_CAP, so that the cost has a bound whatever the
    table's size. A search is not counted (None): a term found nowhere would read the whole scope to say 0. Nor
    is `unread`: for a user who has opened most reports, finding TOTAL_CAP unread ones reads the whole scope
    (245 ms at 1,000,000 reports, BENCHMARKS.md)."""
    if filters.q is not None or filters.unread_by is not None:
        return None
    tally_knows = (filters.unit_id, filters.category, filters.channel, filters.q, filters.assignee,
                   filters.overdue or None, filters.received_from, filters.received_to) == (None,) * 8
    if tally_knows and not filters.waiting_reply:
        return Total(tally_bound(user, filters))
    count = counted_to(user, filters, TOTAL_CAP)
    return Total(min(count, TOTAL_CAP), count > TOTAL_CAP)


def tally_bound(user: StaffUser, filters: QueueFilters) -> int:
    """The tally's count of what round, team and status select: exact for those, a bound for any other filter."""
    counts = status_counts(user, filters)
    chosen = statuses(filters.status) if filters.status is not None else REPORT_STATUSES
    return sum(counts[status] for status in chosen)


def counted_to(user: StaffUser, filters: QueueFilters, cap: int) -> int:
    """The matching reports, counted no further than `cap` + 1: the cost has a bound whatever the table's size."""
    ids = filtered(visible_reports(user), filters).with_only_columns(Report.id).limit(cap + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(ids)) or 0


def unrouted_count(user: StaffUser) -> int | None:
    """How many reports wait for an admin to route them (待分派), from the tally; None for those who cannot route."""
    if not may_route(user):
        return None
    total = db.session.scalar(select(func.sum(ReportTally.count)).where(ReportTally.team_key == tally.team_key(None)))
    return int(total or 0)


def flooded_rounds(user: StaffUser) -> list[Round]:
    """Open rounds past their ceiling of submissions (SUBMIT_ROUND_LIMIT), for the flood notice admins see."""
    if not is_admin(user):
        return []
    return [round_ for round_ in open_rounds() if round_flooded(round_.id)]


@dataclass(frozen=True)
class FilterChoices:
    """What the filter form offers: the rounds, teams and units the user may see, and their categories."""

    rounds: list[Round]
    teams: list[Team]
    units: list[Unit]
    categories: list[str]
    routes: bool = False  # offers 待分派 (`team=none`): admins only


def filter_choices(user: StaffUser, round_id: int | None = None, team_id: int | None = None) -> FilterChoices:
    """An admin chooses among everything; leaders and members among their own teams and those teams' rounds.

    With a round chosen, only its teams, units and categories are offered. An admin is offered units once
    a round or a team is chosen: every unit of every round would make a list no one can use on a phone.
    """
    rounds = rounds_for(user)
    if is_admin(user):
        teams = list(db.session.scalars(select(Team).order_by(Team.round_id.desc(), Team.position)))
    else:
        teams = sorted(user.teams, key=lambda team: (-team.round_id, team.position))
    if round_id is not None:
        teams = [team for team in teams if team.round_id == round_id]
    unit_team_ids = [team.id for team in teams if team_id in (None, team.id)]
    if is_admin(user) and round_id is None and team_id is None:
        unit_team_ids = []
    units = list(db.session.scalars(
        select(Unit).where(Unit.team_id.in_(unit_team_ids)).order_by(Unit.round_id.desc(), Unit.position)
    )) if unit_team_ids else []
    categories = list(dict.fromkeys(
        category for round_ in rounds if round_id in (None, round_.id) for category in round_.categories
    ))
    return FilterChoices(rounds, teams, units, categories, routes=may_route(user))
