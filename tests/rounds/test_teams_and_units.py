"""Teams and units renamed, a unit moved to another team, and both removed while nothing points at them: through the
admin's round page, with every refusal, the scope, a handed-over round and the audit log."""
import re

import pytest
from sqlalchemy import func, select

from reporting.extensions import db
from reporting.intake.services import submit_report
from reporting.models import AuditEvent, QrCode, Report, ReportTally, Team, Unit, utcnow
from reporting.rounds import teams
from reporting.rounds.services import TeamPlan, add_location, add_team, revoke
from reporting.rounds.teams import Uses, unit_uses
from tests.factories import csrf_from, csrf_token, log_in, make_round, submission

CHANGES = ("round.team_renamed", "round.unit_renamed", "round.unit_moved", "round.team_removed", "round.unit_removed")


@pytest.fixture
def admin(client, staff):
    log_in(client, staff["admin"])
    return client


def post(client, path: str, data: dict | None = None, page: str = "/staff/"):
    return client.post(path, data={"csrf_token": csrf_from(client, page)} | (data or {}))


def base(round_) -> str:
    return f"/admin/rounds/{round_.id}"


def events(action: str) -> list[dict]:
    return [event.detail for event in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))]


def refusal(response) -> str:
    found = re.search(r'id="teams-refusal"><p>([^<]*)</p>', response.get_data(as_text=True))
    return found[1] if found else ""


def test_a_team_and_a_unit_are_renamed_and_the_intake_page_shows_the_new_names_at_once(admin, two_teams):
    team, unit = two_teams.teams[0], two_teams.units[0]
    token = two_teams.round_code.token
    assert "甲单位" in admin.get(f"/r/{token}").get_data(as_text=True)  # the page is kept under its key now
    assert post(admin, f"{base(two_teams)}/teams/{team.id}/rename", {"name": " 第一巡察组 "}).status_code == 302
    assert post(admin, f"{base(two_teams)}/units/{unit.id}/rename", {"name": "甲镇"}).status_code == 302
    db.session.expire_all()
    assert (team.name, unit.name) == ("第一巡察组", "甲镇")
    page = admin.get(f"/r/{token}").get_data(as_text=True)
    assert f'<option value="{unit.id}">甲镇</option>' in page and "<dt>第一巡察组</dt>" in page
    assert "甲单位" not in page and "<dt>第一组</dt>" not in page
    assert events("round.team_renamed") == [{"name": "第一巡察组", "previous_name": "第一组"}]
    assert events("round.unit_renamed") == [{"name": "甲镇", "previous_name": "甲单位"}]
    audit = admin.get("/admin/audit").get_data(as_text=True)
    assert "修改了巡视巡察组名称" in audit and "修改了单位名称" in audit and "原名称" in audit


def test_the_same_name_changes_nothing(admin, two_teams):
    team = two_teams.teams[0]
    response = post(admin, f"{base(two_teams)}/teams/{team.id}/rename", {"name": "第一组"})
    assert response.status_code == 302 and events("round.team_renamed") == []
    assert "没有改动" in admin.get(base(two_teams)).get_data(as_text=True)


def test_a_rename_is_refused_without_a_name_past_the_columns_length_or_with_a_name_taken(admin, two_teams):
    team, unit = two_teams.teams[0], two_teams.units[0]
    empty = post(admin, f"{base(two_teams)}/teams/{team.id}/rename", {"name": "  "})
    assert empty.status_code == 400 and "新名称" in refusal(empty)
    long = post(admin, f"{base(two_teams)}/units/{unit.id}/rename", {"name": "村" * 201})
    assert long.status_code == 400 and "200" in refusal(long)
    taken = post(admin, f"{base(two_teams)}/teams/{team.id}/rename", {"name": "第二组"})
    assert taken.status_code == 409 and refusal(taken) == "本轮已有名为“第二组”的巡视巡察组。"
    assert f'id="team-{team.id}-name" name="name" value="第二组"' in taken.get_data(as_text=True)  # kept as typed
    unit_taken = post(admin, f"{base(two_teams)}/units/{unit.id}/rename", {"name": "丁单位"})  # in the other team
    assert unit_taken.status_code == 409 and refusal(unit_taken) == "本轮已有名为“丁单位”的单位。"
    db.session.expire_all()
    assert (team.name, unit.name) == ("第一组", "甲单位") and events("round.team_renamed") == []


def test_a_moved_unit_takes_its_live_codes_and_leaves_its_reports_with_their_team(admin, two_teams, staff):
    team1, team2 = two_teams.teams
    unit = two_teams.units[0]
    poster = add_location(two_teams, unit, "甲单位门口", staff["admin"])
    withdrawn = add_location(two_teams, unit, "旧址", staff["admin"])
    revoke(withdrawn, "海报被撕毁", staff["admin"])
    earlier, _receipt = submit_report(poster, submission(unit=unit), [])
    assert earlier.team_id == team1.id
    response = post(admin, f"{base(two_teams)}/units/{unit.id}/move", {"team_id": str(team2.id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert unit.team_id == team2.id and poster.team_id == team2.id
    assert withdrawn.team_id == team1.id and earlier.team_id == team1.id  # kept: routed before the move
    page = admin.get(f"/r/{poster.token}").get_data(as_text=True)
    assert re.search(r"<dt>第二组</dt><dd>甲单位、丙单位、丁单位</dd>", page)
    later = admin.post(f"/r/{poster.token}", data={"csrf_token": csrf_token(page), "content": "搬到第二组后的反映。"})
    assert later.status_code == 200
    assert db.session.scalar(select(Report.team_id).where(Report.content == "搬到第二组后的反映。")) == team2.id
    assert events("round.unit_moved") == [{"name": "甲单位", "from_team": "第一组", "to_team": "第二组",
                                          "codes_moved": 1}]
    assert "已收到的反映仍由原来分派的组办理" in admin.get(base(two_teams)).get_data(as_text=True)


def test_a_move_to_its_own_team_changes_nothing_and_to_a_team_of_another_round_is_refused(admin, two_teams):
    unit = two_teams.units[0]
    other = make_round(name="另一轮", teams=[TeamPlan("外组", [])])
    same = post(admin, f"{base(two_teams)}/units/{unit.id}/move", {"team_id": str(two_teams.teams[0].id)})
    assert same.status_code == 302 and events("round.unit_moved") == []
    foreign = post(admin, f"{base(two_teams)}/units/{unit.id}/move", {"team_id": str(other.teams[0].id)})
    assert foreign.status_code == 400 and refusal(foreign)
    db.session.expire_all()
    assert unit.team_id == two_teams.teams[0].id


def test_a_unit_nothing_points_at_is_removed(admin, two_teams):
    unit_id = two_teams.units[1].id
    response = post(admin, f"{base(two_teams)}/units/{unit_id}/remove")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Unit, unit_id) is None and events("round.unit_removed") == [{"name": "乙单位"}]
    page = admin.get(base(two_teams)).get_data(as_text=True)
    assert "已删除“乙单位”。" in page and "删除了单位" in admin.get("/admin/audit").get_data(as_text=True)


def test_a_unit_with_reports_and_codes_stays_and_the_refusal_counts_them(admin, two_teams, staff):
    unit = two_teams.units[0]
    code = add_location(two_teams, unit, "村口", staff["admin"])
    for _ in range(3):
        submit_report(code, submission(unit=unit), [])
    response = post(admin, f"{base(two_teams)}/units/{unit.id}/remove")
    assert response.status_code == 409
    assert refusal(response) == "“甲单位”仍在使用，不能删除：3 条反映、1 个二维码。"
    assert '<details open>' in response.get_data(as_text=True)  # the refused unit's actions are shown opened
    assert db.session.get(Unit, unit.id) is not None and events("round.unit_removed") == []


def test_a_revoked_code_still_keeps_its_unit(admin, two_teams, staff):
    unit = two_teams.units[0]
    revoke(add_location(two_teams, unit, "村口", staff["admin"]), "贴错了", staff["admin"])
    response = post(admin, f"{base(two_teams)}/units/{unit.id}/remove")
    assert response.status_code == 409 and "1 个二维码" in refusal(response)


def test_a_team_is_removed_only_once_nothing_points_at_it(admin, two_teams, staff):
    team1, team2 = two_teams.teams
    busy = post(admin, f"{base(two_teams)}/teams/{team1.id}/remove")
    assert busy.status_code == 409 and refusal(busy) == "“第一组”仍在使用，不能删除：2 个单位、2 个工作人员账号。"
    two_teams.default_team_id = team2.id
    db.session.commit()
    for unit_id in [unit.id for unit in team2.units]:
        assert post(admin, f"{base(two_teams)}/units/{unit_id}/remove").status_code == 302
    default = post(admin, f"{base(two_teams)}/teams/{team2.id}/remove")
    assert default.status_code == 409 and "1 个工作人员账号、本轮未确定单位的网上反映的受理组" in refusal(default)
    empty = add_team(two_teams, "第三组", staff["admin"])
    db.session.add(ReportTally(round_id=two_teams.id, team_key=empty.id, status="received", shard=0, count=0))
    db.session.commit()
    empty_id = empty.id
    assert post(admin, f"{base(two_teams)}/teams/{empty_id}/remove").status_code == 302
    db.session.expire_all()
    assert db.session.get(Team, empty_id) is None and events("round.team_removed") == [{"name": "第三组"}]
    assert db.session.scalar(select(func.count()).select_from(ReportTally).where(
        ReportTally.team_key == empty_id)) == 0
    assert "删除了巡视巡察组" in admin.get("/admin/audit").get_data(as_text=True)


def test_a_team_with_reports_or_a_team_code_stays(admin, staff):
    round_ = make_round(teams=[TeamPlan("独组", [])])
    team = round_.teams[0]
    report, _receipt = submit_report(round_.round_code, submission(), [])  # the sole team takes it
    assert report.team_id == team.id
    db.session.add(QrCode(round=round_, team=team, token="team-only-code", label="组门口"))
    db.session.commit()
    response = post(admin, f"{base(round_)}/teams/{team.id}/remove")
    assert response.status_code == 409 and refusal(response) == "“独组”仍在使用，不能删除：1 条反映、1 个二维码。"


def test_a_team_added_after_a_removal_takes_a_position_of_its_own(app, staff, two_teams):
    removed = add_team(two_teams, "临时组", staff["admin"])
    kept = add_team(two_teams, "第三组", staff["admin"])
    post_removal = [team.position for team in two_teams.teams if team.id != removed.id]
    db.session.delete(removed)
    db.session.commit()
    added = add_team(two_teams, "第四组", staff["admin"])
    assert added.position not in post_removal and added.position > kept.position


def actions(round_, team, unit) -> list[str]:
    root = base(round_)
    return [f"{root}/teams/{team.id}/rename", f"{root}/teams/{team.id}/remove", f"{root}/units/{unit.id}/rename",
            f"{root}/units/{unit.id}/move", f"{root}/units/{unit.id}/remove"]


def test_leaders_and_members_are_refused(client, two_teams, staff):
    for user in ("leader1", "member1"):
        log_in(client, staff[user])
        for path in actions(two_teams, two_teams.teams[0], two_teams.units[0]):
            assert post(client, path, {"name": "新名", "team_id": str(two_teams.teams[1].id)}).status_code == 403


def test_unknown_ids_and_those_of_another_round_are_not_found(admin, two_teams):
    other = make_round(name="另一轮", teams=[TeamPlan("外组", ["外单位"])])
    for path in actions(other, two_teams.teams[0], two_teams.units[0]) + actions(two_teams, other.teams[0],
                                                                                 other.units[0]):
        assert post(admin, path, {"name": "新名", "team_id": str(other.teams[0].id)}).status_code == 404
    for path in (f"/admin/rounds/999999/teams/{two_teams.teams[0].id}/rename", f"{base(two_teams)}/teams/999999/remove",
                 f"{base(two_teams)}/units/999999/move"):
        assert post(admin, path, {"name": "新名"}).status_code == 404
    db.session.expire_all()
    assert [team.name for team in other.teams] == ["外组"] and other.units[0].team_id == other.teams[0].id


def test_a_handed_over_round_refuses_every_change(admin, two_teams):
    two_teams.status, two_teams.handed_over_at = "closed", utcnow()
    db.session.commit()
    team, unit = two_teams.teams[1], two_teams.units[0]
    for path in actions(two_teams, team, unit) + [f"{base(two_teams)}/units/{two_teams.units[3].id}/remove"]:
        response = post(admin, path, {"name": "新名", "team_id": str(team.id)})
        assert response.status_code == 409 and 'id="read-only"' in response.get_data(as_text=True), path
    db.session.expire_all()
    assert [t.name for t in two_teams.teams] == ["第一组", "第二组"] and unit.team_id == two_teams.teams[0].id
    assert len(two_teams.units) == 4 and not db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action.in_(CHANGES)))


def test_what_still_points_at_it_is_said_as_people_count_it(app):
    assert Uses(reports=3, codes=1).describe() == "3 条反映、1 个二维码"
    assert Uses(units=1, staff=2, default_team=True).describe() == \
        "1 个单位、2 个工作人员账号、本轮未确定单位的网上反映的受理组"
    assert not Uses() and Uses(default_team=True)


def test_the_round_page_offers_each_action_as_a_form(admin, two_teams, staff):
    page = admin.get(base(two_teams)).get_data(as_text=True)
    unit = two_teams.units[0]
    for path in actions(two_teams, two_teams.teams[0], unit):
        assert f'<form method="post" action="{path}">' in page
    assert 'maxlength="200"' in page
    move = page[page.index(f'id="unit-{unit.id}-team"'):]
    assert move[:move.index("</select>")].count("<option") == 1  # only the other team


def test_a_report_arriving_between_the_count_and_the_delete_is_counted_in_the_refusal(app, two_teams, staff,
                                                                                      monkeypatch):
    unit = two_teams.units[1]
    submit_report(two_teams.round_code, submission(unit=unit), [])
    counted = []

    def late_count(item):  # the first count ran before the report came in
        counted.append(item)
        return Uses() if len(counted) == 1 else unit_uses(item)

    monkeypatch.setattr(teams, "unit_uses", late_count)
    with pytest.raises(teams.StillInUse) as refusal:
        teams.remove_unit(unit, staff["admin"])
    assert refusal.value.uses == Uses(reports=1) and len(counted) == 2
    db.session.expire_all()
    assert db.session.get(Unit, unit.id) is not None and events("round.unit_removed") == []


def test_adding_a_team_or_unit_under_a_name_the_round_has_is_refused_with_the_name_kept(admin, two_teams):
    teams_before, units_before = len(two_teams.teams), len(two_teams.units)
    refused_team = post(admin, f"{base(two_teams)}/teams", {"name": "第一组"})
    assert refused_team.status_code == 409
    assert "本轮已有名为“第一组”的巡视巡察组" in refused_team.get_data(as_text=True)
    other_team = two_teams.teams[1]  # a unit's name is taken in the whole round, whichever team has it
    refused_unit = post(admin, f"{base(two_teams)}/units", {"team_id": str(other_team.id), "name": "甲单位"})
    assert refused_unit.status_code == 409 and 'value="甲单位"' in refused_unit.get_data(as_text=True)
    db.session.expire_all()
    assert (len(two_teams.teams), len(two_teams.units)) == (teams_before, units_before)
