"""The queue's `from`, `to` (received on, inclusive) and `unread` filters: parsed, applied alone and together,
paged newest received first, kept in the links and the ledger, and never widening what a member may see."""
import csv
import io
from datetime import date, timedelta

import pytest
from werkzeug.datastructures import MultiDict

from reporting.extensions import db
from reporting.models import Report
from reporting.queue.exports import ledger_job
from reporting.queue.services import QueueFilters, matching_total, queue_page, received_range
from tests.factories import log_in
from tests.queue.conftest import file_report, mark_read
from tests.queue.test_ledger import csv_table, table, workbook_of
from tests.queue.test_queue_page import ids, walk
from tests.queue.test_queue_view import OLDER, row_ids

DAY = date(2026, 11, 10)


def received(report: Report, day: date) -> Report:
    """The report as if received on `day`: a letter recorded later keeps the day it arrived."""
    report.received_on = day
    db.session.commit()
    return report


def days_apart(world, unit_name: str = "甲单位", count: int = 3) -> list[Report]:
    """`count` reports of a unit received a day apart from DAY on, oldest first."""
    return [received(file_report(world.current, world.unit(unit_name)), DAY + timedelta(days=n)) for n in range(count)]


@pytest.mark.parametrize(("given_from", "given_to", "expected"), [
    ("2026-11-10", "2026-11-12", (date(2026, 11, 10), date(2026, 11, 12), ())),
    (" 2026-11-10 ", "", (date(2026, 11, 10), None, ())),
    ("2026-11-10", "2026-11-10", (date(2026, 11, 10), date(2026, 11, 10), ())),
    ("2026-13-01", "2026-11-12", (None, date(2026, 11, 12), ("from",))),
    ("2026-11-10", "yesterday", (date(2026, 11, 10), None, ("to",))),
    ("2026-11-12", "2026-11-10", (None, None, ("range",))),
    (None, None, (None, None, ())),
])
def test_dates_are_parsed_and_what_cannot_apply_is_named(given_from, given_to, expected):
    assert received_range(given_from, given_to) == expected


def test_the_new_filters_come_back_as_query_string_arguments(world):
    args = MultiDict({"from": "2026-11-10", "to": "2026-11-12", "unread": "1", "status": "clue"})
    filters = QueueFilters.from_args(args, world.admin)
    assert (filters.received_from, filters.received_to, filters.unread_by) == (
        date(2026, 11, 10), date(2026, 11, 12), world.admin.id)
    assert filters.as_args() == {"status": "clue", "from": "2026-11-10", "to": "2026-11-12", "unread": "1"}
    assert QueueFilters.from_args(MultiDict({"unread": "yes"}), world.admin).unread_by is None
    assert QueueFilters.from_args(MultiDict({"unread": "1"})).unread_by is None  # no user, no "unread by"


def test_from_and_to_bound_the_received_day_inclusively_alone_and_together(world):
    first, second, third = days_apart(world)
    admin = world.admin
    assert ids(admin, QueueFilters(received_from=second.received_on)) == [third.id, second.id]
    assert ids(admin, QueueFilters(received_to=second.received_on)) == [second.id, first.id]
    assert ids(admin, QueueFilters(received_from=second.received_on, received_to=second.received_on)) == [second.id]
    assert ids(admin, QueueFilters(received_from=DAY - timedelta(days=9), received_to=DAY - timedelta(days=1))) == []


def test_a_dated_queue_lists_the_last_received_first(world):
    """A letter entered today but received last week sits by its received day, not by when it was entered."""
    recent = received(file_report(world.current, world.unit("甲单位")), DAY + timedelta(days=5))
    late_letter = received(file_report(world.current, world.unit("甲单位")), DAY)
    assert ids(world.admin, QueueFilters(received_from=DAY)) == [recent.id, late_letter.id]
    assert ids(world.leader1, QueueFilters(received_to=DAY + timedelta(days=5))) == [recent.id, late_letter.id]


def test_the_dates_combine_with_every_other_filter(world):
    first, second, third = days_apart(world)
    team2 = received(file_report(world.current, world.unit("丙单位"), category="工程建设"), second.received_on)
    dated = {"received_from": second.received_on, "received_to": third.received_on}
    admin = world.admin
    assert ids(admin, QueueFilters(team_id=world.current.teams[0].id, **dated)) == [third.id, second.id]
    assert ids(admin, QueueFilters(unit_id=world.unit("甲单位").id, **dated)) == [third.id, second.id]
    assert ids(admin, QueueFilters(round_id=world.earlier.id, **dated)) == []
    assert len(ids(admin, QueueFilters(round_id=world.current.id, status="received", **dated))) == 3
    assert ids(admin, QueueFilters(category="工程建设", **dated)) == [team2.id]
    assert ids(admin, QueueFilters(q="低保", channel="web", unread_by=admin.id, **dated)) == [third.id, team2.id,
                                                                                             second.id]
    second.assignee_id = admin.id
    db.session.commit()
    assert ids(admin, QueueFilters(assignee_id=admin.id, **dated)) == [second.id]
    assert ids(admin, QueueFilters(unrouted=True, **dated)) == []


def test_paging_a_dated_queue_has_no_gaps_and_no_repeats_across_slices(world):
    """Several reports a day, in two teams and two rounds: pages cut inside a day keep its order by id."""
    reports = [received(file_report(world.earlier if n % 3 == 0 else world.current,
                                    world.unit("戊单位" if n % 3 == 0 else "丙单位")), DAY + timedelta(days=n % 4))
               for n in range(14)]
    expected = [report.id for report in sorted(reports, key=lambda r: (r.received_on, r.id), reverse=True)]
    dated = QueueFilters(received_from=DAY, received_to=DAY + timedelta(days=3))
    member_pages = walk(world.member_both, dated, size=4)
    assert [len(page) for page in member_pages] == [4, 4, 4, 2]
    assert sum(member_pages, []) == expected
    assert sum(walk(world.admin, dated, size=3), []) == expected


def test_unread_lists_what_the_user_has_not_opened_and_only_for_that_user(world):
    read, unread = file_report(world.current, world.unit("甲单位")), file_report(world.current, world.unit("甲单位"))
    mark_read(world.leader1, read)
    assert ids(world.leader1, QueueFilters(unread_by=world.leader1.id)) == [unread.id]
    assert ids(world.admin, QueueFilters(unread_by=world.admin.id)) == [unread.id, read.id]
    assert ids(world.leader1, QueueFilters(unread_by=world.leader1.id, status="clue")) == []
    # Not counted: for one who has opened nearly everything, counting would read the whole scope.
    assert matching_total(world.leader1, QueueFilters(unread_by=world.leader1.id)) is None
    assert matching_total(world.leader1, QueueFilters(received_from=read.received_on)).count == 2


def test_the_new_filters_never_show_another_teams_reports(world):
    own = received(file_report(world.current, world.unit("丙单位")), DAY)
    other_team = received(file_report(world.current, world.unit("甲单位")), DAY)
    member = world.member2
    for filters in (QueueFilters(received_from=DAY), QueueFilters(received_to=DAY), QueueFilters(unread_by=member.id),
                    QueueFilters(received_from=DAY, received_to=DAY, unread_by=member.id),
                    QueueFilters(received_from=DAY, team_id=world.current.teams[0].id),
                    QueueFilters(received_from=DAY, unit_id=world.unit("甲单位").id)):
        assert other_team.id not in ids(member, filters)
    assert ids(member, QueueFilters(received_from=DAY, unread_by=member.id)) == [own.id]
    # Nor is another team's report a page cursor, which would tell its day by what follows it: nothing does.
    assert queue_page(member, QueueFilters(received_to=DAY), before_id=other_team.id).rows == []


# Through the page. Exports are read to the end inside the request (`buffered`), as a server streams them.

def test_the_page_filters_by_dates_and_shows_them_in_the_form(client, world):
    first, second, third = days_apart(world)
    log_in(client, world.admin)
    html = client.get("/staff/?from=2026-11-11&to=2026-11-12").get_data(as_text=True)
    assert row_ids(html) == [third.id, second.id]
    assert 'name="from" type="date" value="2026-11-11"' in html and 'name="to" type="date" value="2026-11-12"' in html
    assert 'id="total">符合筛选条件的反映共 2 件。' in html
    assert "from=2026-11-11&amp;to=2026-11-12" in html.split('id="total"')[1]  # exports and status links keep them
    assert row_ids(client.get("/staff/?from=2026-11-12").get_data(as_text=True)) == [third.id]
    assert row_ids(client.get("/staff/?to=2026-11-10").get_data(as_text=True)) == [first.id]


def test_a_bad_date_is_named_as_ignored_and_the_other_filters_still_apply(client, world):
    first, second, third = days_apart(world)
    log_in(client, world.admin)
    response = client.get("/staff/?from=2026-02-30&to=2026-11-11&status=received")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert row_ids(html) == [second.id, first.id]
    assert '<p class="error" id="from-error-1">不是有效日期（年-月-日），未应用。</p>' in html
    assert 'name="from" type="date" value=""' in html and 'value="2026-11-11"' in html
    english = client.get("/staff/?from=x&to=2026-11-11&lang=en").get_data(as_text=True)
    assert "Not a date (year-month-day), so not applied." in english


def test_a_start_after_the_end_applies_neither_date_and_says_why(client, world):
    reports = days_apart(world)
    log_in(client, world.admin)
    html = client.get(f"/staff/?from=2026-11-12&to=2026-11-10&unit={world.unit('甲单位').id}").get_data(as_text=True)
    assert row_ids(html) == [report.id for report in reversed(reports)]
    assert '<p class="error" id="to-error-1">早于起始日期，两个日期均未应用。</p>' in html
    assert "from=" not in html.split('id="total"')[1]


def test_older_links_walk_a_dated_unread_queue_keeping_its_filters(client, world):
    reports = [received(file_report(world.current, world.unit("丙单位")), DAY + timedelta(days=n % 5))
               for n in range(57)]
    mark_read(world.member2, reports[0])
    outside = received(file_report(world.current, world.unit("丙单位")), DAY + timedelta(days=5))
    expected = [r.id for r in sorted(reports[1:], key=lambda r: (r.received_on, r.id), reverse=True)]
    log_in(client, world.member2)
    seen, url = [], "/staff/?from=2026-11-10&to=2026-11-14&unread=1"
    while url:
        html = client.get(url).get_data(as_text=True).replace("&amp;", "&")
        seen += row_ids(html)
        older = OLDER.search(html)
        url = older.group(1) if older else None
        if url:
            assert "from=2026-11-10" in url and "to=2026-11-14" in url and "unread=1" in url and "before=" in url
    assert seen == expected and outside.id not in seen


def test_unread_changes_once_the_report_is_opened(client, world):
    first, second = file_report(world.current, world.unit("甲单位")), file_report(world.current, world.unit("甲单位"))
    log_in(client, world.leader1)
    page = client.get("/staff/?unread=1").get_data(as_text=True)
    assert row_ids(page) == [second.id, first.id] and 'name="unread" value="1" checked' in page
    assert client.get(f"/staff/reports/{second.id}").status_code == 200
    assert row_ids(client.get("/staff/?unread=1").get_data(as_text=True)) == [first.id]
    assert row_ids(client.get("/staff/").get_data(as_text=True)) == [second.id, first.id]


def test_a_member_sees_no_other_teams_report_through_the_new_filters_on_the_page(client, world):
    other_team = received(file_report(world.current, world.unit("甲单位")), DAY)
    own = received(file_report(world.current, world.unit("丙单位")), DAY)
    log_in(client, world.member2)
    for query in ("from=2026-11-10&to=2026-11-10", "unread=1", f"unread=1&team={world.current.teams[0].id}",
                  f"from=2026-11-10&unit={world.unit('甲单位').id}"):
        assert other_team.id not in row_ids(client.get(f"/staff/?{query}").get_data(as_text=True))
    rows = csv_table(client.get("/staff/export.csv?from=2026-11-10&to=2026-11-10&unread=1", buffered=True))
    assert [int(row["编号"]) for row in rows] == [own.id]


def test_the_ledger_exports_honour_from_and_to(client, world):
    first, second, third = days_apart(world)
    log_in(client, world.admin)
    rows = csv_table(client.get("/staff/export.csv?from=2026-11-11&to=2026-11-11", buffered=True))
    assert [(int(row["编号"]), row["受理日期"]) for row in rows] == [(second.id, "2026-11-11")]
    assert len(csv_table(client.get("/staff/export.csv?from=2026-11-11", buffered=True))) == 2
    reversed_range = client.get("/staff/export.csv?from=2026-11-12&to=2026-11-10", buffered=True)
    assert len(csv_table(reversed_range)) == 3  # ignored, as on the page
    workbook = client.get("/staff/export.xlsx?to=2026-11-10", buffered=True)
    assert workbook.status_code == 200
    _header, sheet_rows = table(workbook_of(workbook)["台账"])
    assert [row["编号"] for row in sheet_rows] == [first.id]


def test_a_ledger_made_by_a_job_keeps_the_dates_and_unread(app, world):
    """A large ledger is made later by a job, from the filters as query-string arguments: none is lost."""
    first, second, third = days_apart(world)
    mark_read(world.admin, third)
    filters = QueueFilters.from_args(MultiDict({"from": "2026-11-11", "unread": "1"}), world.admin)
    with app.test_request_context():
        result = ledger_job({"filters": filters.as_args(), "format": "csv", "sheet": None}, world.admin)
        text = b"".join(result.chunks).decode("utf-8-sig")
    assert [int(row["编号"]) for row in csv.DictReader(io.StringIO(text))] == [second.id]
