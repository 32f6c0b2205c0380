"""Open work per member (`/staff/workload`): the counts on a small triaged set, each count's link to the queue
showing exactly those reports, who may see which teams, and the same two grouped queries whatever the number of
members."""
import re
from datetime import date

import pytest
from sqlalchemy import event

from reporting.extensions import db
from reporting.models import DEFAULT_TIMEZONE, today_in
from reporting.queue.workload import workload
from tests.factories import log_in, make_staff
from tests.queue.conftest import file_report, set_status

ROW = re.compile(r'<tr(?: class="unassigned")? data-team="(\d+)" data-member="(\w+)">\s*<th scope="row" class="nowrap">'
                 r"(.*?)</th>(.*?)</tr>", re.S)
NUMBER = re.compile(r'<td class="number">(?:<a href="([^"]+)">)?(\d+)')


def rows(html: str) -> dict[tuple[str, str], tuple[str, list[int], list[str]]]:
    """(team id, member id or "none") -> (name shown, [open, pending, overdue], [links of the non-zero counts])."""
    found = {}
    for team, member, name, cells in ROW.findall(html):
        numbers = NUMBER.findall(cells)
        found[team, member] = (re.sub(r"<[^>]+>", "", name).strip(), [int(count) for _, count in numbers],
                               [link.replace("&amp;", "&") for link, _ in numbers if link])
    return found


def queue_ids(client, link: str) -> list[int]:
    return [int(found) for found in re.findall(r'class="report-row[^"]*" data-id="(\d+)"', client.get(link).get_data(
        as_text=True))]


@pytest.fixture
def triaged(world):
    """Team 1: 甲成员 holds three open reports (one waiting for a leader, one transfer overdue) and a filed one,
    乙成员 one in review, two are no one's (one waiting); team 2: member2 holds one."""
    team1, team2 = world.current.teams
    first = make_staff("member", [team1])
    first.display_name = "甲成员"
    second = make_staff("member", [team1])
    second.display_name = "乙成员"
    unit1, unit3 = world.unit("甲单位"), world.unit("丙单位")
    reports = {name: file_report(world.current, unit1) for name in ("open", "pending", "overdue", "filed", "review",
                                                                     "nobody", "nobody_pending")}
    reports["team2"] = file_report(world.current, unit3)
    for name, status in (("pending", "proposed"), ("overdue", "transferred"), ("filed", "filed"),
                         ("review", "in_review"), ("nobody_pending", "proposed"), ("team2", "in_review")):
        set_status(reports[name], status)
    reports["overdue"].transfer_due_on = date(2026, 1, 10)
    for name in ("open", "pending", "overdue", "filed"):
        reports[name].assignee_id = first.id
    reports["review"].assignee_id = second.id
    reports["team2"].assignee_id = world.member2.id
    db.session.commit()
    return first, second, reports


def test_a_leader_sees_each_members_open_work_of_their_own_team(client, world, triaged):
    first, second, reports = triaged
    team1 = world.current.teams[0]
    log_in(client, world.leader1)
    response = client.get("/staff/workload")
    assert response.status_code == 200
    found = rows(response.get_data(as_text=True))
    key = str(team1.id)
    assert {member: shown[:2] for (team, member), shown in found.items()} == {
        str(world.leader1.id): (world.leader1.username, [0, 0, 0]),
        str(first.id): ("甲成员", [3, 1, 1]),
        str(second.id): ("乙成员", [1, 0, 0]),
        "none": ("未分配承办人", [2, 1, 0]),
    }
    assert {team for team, _ in found} == {key}  # team 2 and the earlier round are not the leader's


def test_each_count_opens_the_queue_with_exactly_its_reports(client, world, triaged):
    first, second, reports = triaged
    log_in(client, world.leader1)
    found = rows(client.get("/staff/workload").get_data(as_text=True))
    team = str(world.current.teams[0].id)
    open_link, pending_link, overdue_link = found[team, str(first.id)][2]
    assert sorted(queue_ids(client, open_link)) == sorted(reports[name].id for name in ("open", "pending", "overdue"))
    assert queue_ids(client, pending_link) == [reports["pending"].id]
    assert queue_ids(client, overdue_link) == [reports["overdue"].id]
    nobody, nobody_pending = found[team, "none"][2]
    assert sorted(queue_ids(client, nobody)) == sorted([reports["nobody"].id, reports["nobody_pending"].id])
    assert queue_ids(client, nobody_pending) == [reports["nobody_pending"].id]
    page = client.get(open_link).get_data(as_text=True)
    assert 'id="assignee-filter"' in page and "承办人：甲成员" in page  # the queue says whose reports these are
    assert '<option selected value="open">' in page and 'id="total">符合筛选条件的反映共 3 件。' in page
    overdue = client.get(overdue_link).get_data(as_text=True)
    assert 'id="overdue-filter"' in overdue and 'name="overdue" value="1"' in overdue


def test_an_admin_sees_every_team_of_rounds_being_worked(client, world, triaged):
    closed_and_handed_over = world.earlier
    log_in(client, world.admin)
    teams = {team for team, _ in rows(client.get("/staff/workload").get_data(as_text=True))}
    assert teams == {str(team.id) for team in (*world.current.teams, *closed_and_handed_over.teams)}
    assert rows(client.get("/staff/workload").get_data(as_text=True))[
        str(world.current.teams[1].id), str(world.member2.id)][1] == [1, 0, 0]
    closed_and_handed_over.status = "closed"
    closed_and_handed_over.handed_over_at = closed_and_handed_over.created_at
    db.session.commit()
    teams = {team for team, _ in rows(client.get("/staff/workload").get_data(as_text=True))}
    assert teams == {str(team.id) for team in world.current.teams}


def test_members_are_refused_the_page_and_only_leaders_and_admins_get_its_link(client, world, triaged):
    log_in(client, world.member2)
    assert client.get("/staff/workload").status_code == 403
    assert 'id="workload-link"' not in client.get("/staff/").get_data(as_text=True)
    log_in(client, world.leader1)
    assert 'id="workload-link" href="/staff/workload"' in client.get("/staff/").get_data(as_text=True)


def test_the_assignee_filter_keeps_each_roles_scope(client, world, triaged):
    first, second, reports = triaged
    log_in(client, world.leader1)  # a leader filters by anyone, but sees only their teams' reports
    assert queue_ids(client, f"/staff/?assignee={world.member2.id}") == []
    log_in(client, world.member2)  # a member filters by their own work only: another's id is dropped
    assert queue_ids(client, f"/staff/?assignee={world.member2.id}") == [reports["team2"].id]
    everything = queue_ids(client, "/staff/")
    assert queue_ids(client, f"/staff/?assignee={first.id}") == everything
    assert 'id="assignee-filter"' not in client.get(f"/staff/?assignee={first.id}").get_data(as_text=True)


def test_the_counts_come_from_one_grouped_query_whatever_the_number_of_members(world, triaged):
    statements = []

    def count(_connection, _cursor, statement, *_args):
        if "FROM report" in statement:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        workload(world.admin, today_in(DEFAULT_TIMEZONE))
        few = len(statements)
        for _ in range(5):
            make_staff("member", [world.current.teams[0]])
        statements.clear()
        workload(world.admin, today_in(DEFAULT_TIMEZONE))
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert few == len(statements) == 2 and all("GROUP BY" in statement for statement in statements)


def test_accounts_outside_the_team_holding_its_reports_are_listed_and_say_so(client, world, triaged):
    first, second, reports = triaged
    reports["nobody"].assignee_id = world.admin.id
    second.active = False
    db.session.commit()
    log_in(client, world.leader1)
    found = rows(client.get("/staff/workload").get_data(as_text=True))
    team = str(world.current.teams[0].id)
    assert found[team, str(world.admin.id)][:2] == (f"{world.admin.username}（不在本组）", [1, 0, 0])
    assert found[team, str(second.id)][:2] == ("乙成员（账号已停用）", [1, 0, 0])
    assert found[team, "none"][1] == [1, 1, 0]
    assert queue_ids(client, found[team, str(world.admin.id)][2][0]) == [reports["nobody"].id]
