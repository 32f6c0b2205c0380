"""The queue's service: who sees what, each filter, the search, keyset paging, counts and unread marks."""
from sqlalchemy import text

from reporting.extensions import db
from reporting.queue.services import QueueFilters, filter_choices, queue_page, status_counts
from tests.factories import make_staff
from tests.queue.conftest import REPORTER_NAME, REPORTER_PHONE, file_report, mark_read, set_status


def ids(user, filters=QueueFilters(), **kwargs) -> list[int]:
    return [row.id for row in queue_page(user, filters, **kwargs).rows]


def test_a_member_sees_only_their_teams_reports(world):
    team1 = file_report(world.current, world.unit("甲单位"))
    team2 = file_report(world.current, world.unit("丙单位"))
    earlier = file_report(world.earlier, world.unit("戊单位"))
    assert ids(world.leader1) == [team1.id]
    assert ids(world.member2) == [team2.id]
    assert ids(world.member_both) == [earlier.id, team2.id]


def test_an_admin_sees_every_report_and_only_admins_see_unrouted_ones(world):
    routed = file_report(world.current, world.unit("甲单位"))
    unrouted = file_report(world.current)
    assert unrouted.team_id is None
    assert ids(world.admin) == [unrouted.id, routed.id]
    assert unrouted.id not in ids(world.leader1) + ids(world.member2) + ids(world.member_both)


def test_filtering_by_a_team_the_member_is_not_in_shows_nothing(world):
    file_report(world.current, world.unit("甲单位"))
    team1 = world.current.teams[0]
    assert ids(world.member2, QueueFilters(team_id=team1.id)) == []
    assert ids(world.member2, QueueFilters(unit_id=world.unit("甲单位").id)) == []


def test_a_user_without_teams_sees_nothing(world):
    file_report(world.current, world.unit("甲单位"))
    assert queue_page(make_staff("member"), QueueFilters()).rows == []


def test_each_filter_narrows_the_queue(world):
    plain = file_report(world.current, world.unit("甲单位"))
    in_review = file_report(world.current, world.unit("乙单位"))
    set_status(in_review, "in_review")
    team2 = file_report(world.current, world.unit("丙单位"), category="工程建设")
    letter = file_report(world.current, world.unit("丁单位"))
    letter.channel = "letter"
    db.session.commit()
    earlier = file_report(world.earlier, world.unit("戊单位"), category="作风问题")
    admin = world.admin
    assert ids(admin, QueueFilters(status="in_review")) == [in_review.id]
    assert ids(admin, QueueFilters(round_id=world.earlier.id)) == [earlier.id]
    assert ids(admin, QueueFilters(team_id=world.current.teams[1].id)) == [letter.id, team2.id]
    assert ids(admin, QueueFilters(unit_id=world.unit("甲单位").id)) == [plain.id]
    assert ids(admin, QueueFilters(category="工程建设")) == [team2.id]
    assert ids(admin, QueueFilters(channel="letter")) == [letter.id]
    assert ids(admin, QueueFilters(channel="web", round_id=world.current.id)) == [team2.id, in_review.id, plain.id]
    assert ids(admin, QueueFilters(status="received", category="工程建设", round_id=world.current.id)) == [team2.id]


def test_filters_combine_with_a_members_scope(world):
    file_report(world.current, world.unit("甲单位"), category="作风问题")
    earlier = file_report(world.earlier, world.unit("戊单位"), category="作风问题")
    team2 = file_report(world.current, world.unit("丙单位"))
    member = world.member_both
    assert ids(member, QueueFilters(category="作风问题")) == [earlier.id]
    assert ids(member, QueueFilters(round_id=world.current.id)) == [team2.id]
    assert ids(member, QueueFilters(round_id=world.current.id, status="filed")) == []


def test_search_finds_chinese_terms_of_one_two_and_more_characters(world):
    dibao = file_report(world.current, world.unit("甲单位"), content="村里低保名额被村干部亲属占用。")
    fupin = file_report(world.current, world.unit("乙单位"), content="扶贫资金被挪作他用。")
    admin = world.admin
    assert ids(admin, QueueFilters(q="保")) == [dibao.id]
    assert ids(admin, QueueFilters(q="资")) == [fupin.id]
    assert ids(admin, QueueFilters(q="低保")) == [dibao.id]
    assert ids(admin, QueueFilters(q="扶贫资金")) == [fupin.id]
    assert ids(admin, QueueFilters(q="村干部亲属")) == [dibao.id]
    assert ids(admin, QueueFilters(q="被")) == [fupin.id, dibao.id]
    assert ids(admin, QueueFilters(q="高铁")) == []


def test_search_covers_the_person_reported_and_ignores_latin_case(world):
    by_name = file_report(world.current, world.unit("甲单位"), content="反映一些问题。", subject_name="张某某")
    by_unit = file_report(world.current, world.unit("乙单位"), content="反映一些问题。", subject_unit="ABC公司")
    by_position = file_report(world.current, world.unit("丙单位"), content="反映一些问题。", subject_position="副镇长")
    admin = world.admin
    assert ids(admin, QueueFilters(q="张某")) == [by_name.id]
    assert ids(admin, QueueFilters(q="abc公司")) == [by_unit.id]
    assert ids(admin, QueueFilters(q="镇长")) == [by_position.id]


def test_search_takes_percent_and_underscore_literally(world):
    percent = file_report(world.current, world.unit("甲单位"), content="工程款被截留了30%以上。")
    file_report(world.current, world.unit("乙单位"), content="工程款被截留了30元。")
    underscore = file_report(world.current, world.unit("丙单位"), content="账号是a_b。")
    file_report(world.current, world.unit("丁单位"), content="账号是axb。")
    assert ids(world.admin, QueueFilters(q="30%")) == [percent.id]
    assert ids(world.admin, QueueFilters(q="%")) == [percent.id]
    assert ids(world.admin, QueueFilters(q="a_b")) == [underscore.id]


def test_search_stays_within_what_the_user_may_see(world):
    file_report(world.current, world.unit("甲单位"), content="低保问题一")
    mine = file_report(world.current, world.unit("丙单位"), content="低保问题二")
    assert ids(world.member2, QueueFilters(q="低保")) == [mine.id]


def walk(user, filters, size):
    """Every page from the newest down, following `next_before_id`; the ids of each page."""
    pages, before = [], None
    while True:
        page = queue_page(user, filters, before, size=size)
        pages.append([row.id for row in page.rows])
        if page.next_before_id is None:
            return pages
        before = page.next_before_id


def test_keyset_paging_has_no_gaps_and_no_repeats(world):
    units = [world.unit(name) for name in ("甲单位", "丙单位", "戊单位")]
    filed = [file_report(world.earlier if unit.name == "戊单位" else world.current, unit) for _ in range(8)
             for unit in units]
    expected = sorted((report.id for report in filed), reverse=True)
    pages = walk(world.admin, QueueFilters(), size=5)
    assert [len(page) for page in pages] == [5, 5, 5, 5, 4]
    assert [report_id for page in pages for report_id in page] == expected


def test_keyset_paging_across_several_slices(world):
    """A member of two teams, and an admin filtering by status across rounds, read several index slices."""
    reports = [file_report(world.earlier if i % 2 else world.current, world.unit("戊单位" if i % 2 else "丙单位"))
               for i in range(13)]
    expected = sorted((report.id for report in reports), reverse=True)
    member_pages = walk(world.member_both, QueueFilters(), size=4)
    assert [len(page) for page in member_pages] == [4, 4, 4, 1]
    assert sum(member_pages, []) == expected
    admin_pages = walk(world.admin, QueueFilters(status="received"), size=3)
    assert sum(admin_pages, []) == expected


def test_the_last_full_page_says_there_is_nothing_older(world):
    for _ in range(3):
        file_report(world.current, world.unit("甲单位"))
    assert queue_page(world.admin, QueueFilters(), size=3).next_before_id is None


def test_a_row_shows_the_report_without_its_reporter(world):
    long_text = "村里低保名额被村干部亲属占用，" * 10
    report = file_report(world.current, world.unit("甲单位"), content=long_text, named=True, category="廉洁纪律",
                         subject_name="王某", subject_unit="甲村", subject_position="村支书")
    (row,) = queue_page(world.admin, QueueFilters()).rows
    assert (row.id, row.channel, row.round_name, row.team_name, row.unit_name, row.category) == (
        report.id, "web", "测试巡察", "第一组", "甲单位", "廉洁纪律")
    assert (row.subject_name, row.subject_unit, row.subject_position) == ("王某", "甲村", "村支书")
    assert row.excerpt == long_text[:80] + "…"
    assert row.status == "received" and row.assignee is None
    assert (row.received_on, row.age_days) == (report.received_on, 0)
    assert REPORTER_NAME not in repr(row) and REPORTER_PHONE not in repr(row)


def test_unread_marks_are_per_user(world):
    first = file_report(world.current, world.unit("甲单位"))
    second = file_report(world.current, world.unit("甲单位"))
    mark_read(world.leader1, first)
    unread = {row.id: row.unread for row in queue_page(world.leader1, QueueFilters()).rows}
    assert unread == {first.id: False, second.id: True}
    assert all(row.unread for row in queue_page(world.admin, QueueFilters()).rows)


def test_counts_come_from_the_tally_per_round_and_team(world):
    for _ in range(2):
        file_report(world.current, world.unit("甲单位"))
    filed = file_report(world.current, world.unit("丙单位"))
    set_status(filed, "filed")
    file_report(world.earlier, world.unit("戊单位"))
    file_report(world.current)  # not routed
    counts = status_counts(world.admin)
    assert counts["received"] == 4 and counts["filed"] == 1 and counts["clue"] == 0
    assert set(counts) == {"received", "in_review", "proposed", "clue", "transferred", "concluded", "filed",
                           "out_of_scope", "duplicate"}
    assert status_counts(world.admin, QueueFilters(round_id=world.earlier.id))["received"] == 1
    assert status_counts(world.admin, QueueFilters(team_id=world.current.teams[0].id))["received"] == 2
    assert status_counts(world.leader1)["received"] == 2
    assert (status_counts(world.member2)["received"], status_counts(world.member2)["filed"]) == (0, 1)
    assert status_counts(world.member_both, QueueFilters(round_id=world.current.id))["received"] == 0
    assert status_counts(world.member_both)["received"] == 1


def test_counts_do_not_count_reports(world):
    """The counts are the tally's: a report inserted behind its back does not show up in them."""
    file_report(world.current, world.unit("甲单位"))
    assert status_counts(world.admin)["received"] == 1
    db.session.execute(text("UPDATE report_tally SET count = 42 WHERE status = 'received'"))
    assert status_counts(world.admin)["received"] == 42


def test_a_member_cannot_see_other_teams_counts_by_filtering_for_them(world):
    file_report(world.current, world.unit("甲单位"))
    file_report(world.current)
    team1 = world.current.teams[0]
    assert sum(status_counts(world.member2, QueueFilters(team_id=team1.id)).values()) == 0
    assert sum(status_counts(world.member2, QueueFilters(unrouted=True)).values()) == 0


def test_filter_choices_are_the_users_own(world):
    member = filter_choices(world.member_both)
    assert {team.name for team in member.teams} == {"第二组", "老组"}
    assert {round_.name for round_ in member.rounds} == {"测试巡察", "上一轮巡察"}
    assert {unit.name for unit in member.units} == {"丙单位", "丁单位", "戊单位"}
    assert filter_choices(world.member2, round_id=world.earlier.id).teams == []
    admin = filter_choices(world.admin, round_id=world.current.id)
    assert [team.name for team in admin.teams] == ["第一组", "第二组"]
    assert [unit.name for unit in admin.units] == ["甲单位", "乙单位", "丙单位", "丁单位"]
    assert admin.categories == ["廉洁纪律", "工程建设", "其他"]
    assert [unit.name for unit in filter_choices(world.admin, team_id=world.current.teams[1].id).units] == [
        "丙单位", "丁单位"]


def test_an_admin_is_offered_units_once_a_round_or_team_is_chosen(world):
    everything = filter_choices(world.admin)
    assert everything.units == []
    assert len(everything.teams) == 3 and len(everything.rounds) == 2
