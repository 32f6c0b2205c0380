"""GET /staff/: login, the filter form, counts, rows with their links, paging links, and no reporter identity."""
import re
from html import unescape

from sqlalchemy import select

from reporting.extensions import db
from reporting.models import Report
from reporting.queue import services as queue_services
from tests.factories import log_in
from tests.queue.conftest import REPORTER_NAME, REPORTER_PHONE, file_report, mark_read, set_status

ROW_IDS = re.compile(r'<tr class="report-row[^"]*" data-id="(\d+)"')
OLDER = re.compile(r'<a href="([^"]+)" rel="next">')


def row_ids(html: str) -> list[int]:
    return [int(found) for found in ROW_IDS.findall(html)]


def test_logged_out_staff_are_sent_to_the_login_page(client, world):
    for path in ("/staff/", "/staff/?status=filed", "/staff/export.csv", "/staff/export.xlsx"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/staff/login")


def test_the_queue_lists_what_the_user_may_see_with_links_to_each_report(client, world):
    mine = file_report(world.current, world.unit("丙单位"), subject_name="王某")
    file_report(world.current, world.unit("甲单位"))
    log_in(client, world.member2)
    response = client.get("/staff/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert row_ids(html) == [mine.id]
    assert f'href="/staff/reports/{mine.id}"' in html
    assert "王某" in html and "丙单位" in html
    assert '<div class="table-wrap">' in html


def test_typing_a_reports_number_opens_it_if_the_user_may_see_it(client, world):
    mine = file_report(world.current, world.unit("丙单位"))
    theirs = file_report(world.current, world.unit("甲单位"))
    log_in(client, world.member2)
    opened = client.get(f"/staff/?q={mine.id}")
    assert (opened.status_code, opened.headers["Location"]) == (302, f"/staff/reports/{mine.id}")
    searched = client.get(f"/staff/?q={theirs.id}")  # not theirs to see: the search, finding nothing
    assert searched.status_code == 200 and row_ids(searched.get_data(as_text=True)) == []


def test_the_date_column_is_headed_as_the_day_received_and_short_columns_do_not_wrap(client, world):
    file_report(world.current, world.unit("丙单位"))
    log_in(client, world.member2)
    html = client.get("/staff/").get_data(as_text=True)
    assert '<th scope="col" class="nowrap">受理日期</th>' in html and '<th scope="col" class="nowrap">编号</th>' in html


def test_the_page_never_shows_a_named_reporters_identity(client, world):
    file_report(world.current, world.unit("甲单位"), named=True, content="反映问题：张三违规。")
    log_in(client, world.admin)
    html = client.get("/staff/").get_data(as_text=True)
    assert "张三违规" in html
    assert REPORTER_NAME not in html and REPORTER_PHONE not in html


def test_the_filter_form_is_a_get_form_showing_the_filters_in_force(client, world):
    log_in(client, world.admin)
    html = client.get(f"/staff/?status=filed&round={world.current.id}&q=低保&channel=fax").get_data(as_text=True)
    form = re.search(r'<form method="get" action="/staff/".*?</form>', html, re.S).group(0)
    for name in ("round", "team", "unit", "status", "category", "channel", "q"):
        assert f'name="{name}"' in form
    assert re.search(r'<option selected value="filed">|<option value="filed" selected>', form)
    assert re.search(rf'<option selected value="{world.current.id}">', form)
    assert 'value="低保"' in form
    assert not re.search(r'<option selected value="fax">', form)


def test_bad_filter_values_give_the_queue_not_an_error(client, world):
    report = file_report(world.current, world.unit("甲单位"))
    log_in(client, world.admin)
    response = client.get("/staff/?status=nope&round=abc&team=-1&unit=99999999999999999999&before=x&q=%00")
    assert response.status_code == 200
    assert row_ids(response.get_data(as_text=True)) == [report.id]


def test_counts_per_status_link_to_the_filtered_queue(client, world):
    for _ in range(2):
        file_report(world.current, world.unit("甲单位"))
    set_status(file_report(world.current, world.unit("甲单位")), "filed")
    log_in(client, world.leader1)
    html = unescape(client.get(f"/staff/?round={world.current.id}").get_data(as_text=True))
    counts = dict(re.findall(r'<span class="count" data-status="(\w+)">(\d+)</span>', html))
    assert counts["received"] == "2" and counts["filed"] == "1" and counts["clue"] == "0"
    assert f'href="/staff/?round={world.current.id}&status=filed"' in html


def test_unread_reports_are_marked(client, world):
    read, unread = (file_report(world.current, world.unit("甲单位")) for _ in range(2))
    mark_read(world.leader1, read)
    log_in(client, world.leader1)
    html = client.get("/staff/").get_data(as_text=True)
    assert f'<tr class="report-row unread" data-id="{unread.id}">' in html
    assert f'<tr class="report-row" data-id="{read.id}">' in html


def test_older_links_walk_the_whole_queue_keeping_the_filters(client, world):
    for _ in range(55):
        file_report(world.current, world.unit("丙单位"), content="村里低保名额有问题。")
    file_report(world.current, world.unit("丁单位"), content="别的问题。")
    expected = [report_id for (report_id,) in db.session.execute(
        select(Report.id).where(Report.content.contains("低保")).order_by(Report.id.desc()))]
    log_in(client, world.member2)
    seen, url = [], "/staff/?q=低保"
    while url:
        html = unescape(client.get(url).get_data(as_text=True))
        seen += row_ids(html)
        older = OLDER.search(html)
        url = older.group(1) if older else None
        if url:
            assert "q=%E4%BD%8E%E4%BF%9D" in url and "before=" in url
    assert seen == expected and len(seen) == 55


def test_the_page_after_the_last_says_so(client, world):
    report = file_report(world.current, world.unit("甲单位"))
    log_in(client, world.admin)
    html = client.get(f"/staff/?before={report.id}&lang=en").get_data(as_text=True)
    assert row_ids(html) == []
    assert "There are no older reports." in html
    assert 'rel="next"' not in html


def test_assigned_to_me_lists_only_my_reports_and_the_total_says_how_many_match(client, world):
    mine, other, third = (file_report(world.current, world.unit("丙单位")) for _ in range(3))
    mine.assignee_id = world.member2.id
    db.session.commit()
    log_in(client, world.member2)
    everything = client.get("/staff/").get_data(as_text=True)
    assert 'id="total">符合筛选条件的反映共 3 件。' in everything
    page = client.get("/staff/?assignee=me").get_data(as_text=True)
    assert row_ids(page) == [mine.id] and 'name="assignee" value="me" checked' in page
    assert 'id="total">符合筛选条件的反映共 1 件。' in page
    assert "assignee=me" in page.split('id="total"')[1]  # the exports and status links keep the filter
    log_in(client, world.admin)  # "me" is whoever asks: the admin has none assigned
    assert row_ids(client.get("/staff/?assignee=me").get_data(as_text=True)) == []


def test_a_total_past_the_cap_is_said_as_more_than(client, world, monkeypatch):
    monkeypatch.setattr(queue_services, "TOTAL_CAP", 2)
    for _ in range(3):
        file_report(world.current, world.unit("丙单位"), content="村里修路款去向不明。")
    log_in(client, world.member2)
    by_unit = client.get(f"/staff/?unit={world.unit('丙单位').id}").get_data(as_text=True)
    assert 'id="total">符合筛选条件的反映超过 2 件。' in by_unit
    assert 'id="total"' not in client.get("/staff/?q=修路款").get_data(as_text=True)  # a search is not counted
    assert 'id="total">符合筛选条件的反映共 3 件。' in client.get("/staff/").get_data(as_text=True)  # the tally's
