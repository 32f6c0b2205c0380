"""`demo` and `rounds list` print exactly what the spec says."""
import json
import re
from datetime import date, timedelta

from sqlalchemy import func, select

from reporting.extensions import db
from reporting.models import Round, StaffUser, Team, Unit
from reporting.security import password_matches
from tests.factories import make_round

ACCOUNT_LINE = re.compile(r"^user: (\S+) role: (\S+) team: (\S+) password: (.+)$")


def accounts(output: str) -> dict[str, tuple[str, str, str]]:
    found = {}
    for line in output.splitlines()[1:]:
        name, role, team, password = ACCOUNT_LINE.match(line).groups()
        found[name] = (role, team, password)
    return found


def test_demo_creates_an_open_round_with_two_teams_four_units_and_four_staff(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    first_line = result.output.splitlines()[0]
    round_ = db.session.scalar(select(Round))
    assert first_line == f"intake_url: http://reporting.test/r/{round_.round_code.token}"
    assert round_.status_at(round_.created_at) == "open"
    team1, team2 = round_.teams
    assert [unit.name for unit in team1.units] == [round_.units[0].name, round_.units[1].name]
    assert [unit.id for unit in team2.units] == [round_.units[2].id, round_.units[3].id]
    printed = accounts(result.output)
    assert {name: printed[name][:2] for name in printed} == {
        "admin": ("admin", "-"),
        "leader1": ("leader", str(team1.id)),
        "member1": ("member", str(team1.id)),
        "member2": ("member", str(team2.id)),
    }
    for name, (_, _, password) in printed.items():
        user = db.session.scalar(select(StaffUser).where(StaffUser.username == name))
        assert password_matches(user.password_hash, password)


def test_demo_again_changes_nothing(runner):
    first = runner.invoke(args=["demo"])
    hashes = dict(db.session.execute(select(StaffUser.username, StaffUser.password_hash)).all())
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    assert second.output.splitlines()[0] == first.output.splitlines()[0]
    assert {password for _, _, password in accounts(second.output).values()} == {"(unchanged)"}
    assert dict(db.session.execute(select(StaffUser.username, StaffUser.password_hash)).all()) == hashes
    assert db.session.scalar(select(func.count()).select_from(Round)) == 1
    assert db.session.scalar(select(func.count()).select_from(Team)) == 2
    assert db.session.scalar(select(func.count()).select_from(Unit)) == 4


def test_demo_with_a_password_sets_it_on_every_account(runner):
    runner.invoke(args=["demo"])
    result = runner.invoke(args=["demo", "--password", "correct horse"])
    assert {password for _, _, password in accounts(result.output).values()} == {"correct horse"}
    for user in db.session.scalars(select(StaffUser)):
        assert password_matches(user.password_hash, "correct horse")


def test_demo_refuses_a_short_password_before_making_anything(runner):
    result = runner.invoke(args=["demo", "--password", "demo"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "密码至少 8 个字符。" in result.output
    assert db.session.scalar(select(func.count()).select_from(Round)) == 0
    assert db.session.scalar(select(func.count()).select_from(StaffUser)) == 0


def test_rounds_list_json_has_the_promised_keys(runner):
    round_ = make_round()
    result = runner.invoke(args=["rounds", "list", "--json"])
    assert result.exit_code == 0, result.output
    (listed,) = json.loads(result.output)
    assert listed["id"] == round_.id
    assert listed["name"] == "测试巡察"
    assert listed["status"] == "open"
    assert listed["intake_url"] == f"http://reporting.test/r/{round_.round_code.token}"
    assert listed["teams"] == [
        {"id": round_.teams[0].id, "name": "第一组",
         "units": [{"id": round_.units[0].id, "name": "甲单位"}, {"id": round_.units[1].id, "name": "乙单位"}]}
    ]


def test_rounds_list_gives_the_status_in_force_by_the_dates(runner):
    today = date.today()
    make_round(name="已结束", ends_on=today - timedelta(days=3), starts_on=today - timedelta(days=30))
    make_round(name="未开始", starts_on=today + timedelta(days=3))
    make_round(name="草稿", status="draft")
    make_round(name="已关闭", status="closed")
    listed = json.loads(runner.invoke(args=["rounds", "list", "--json"]).output)
    assert {entry["name"]: entry["status"] for entry in listed} == {
        "已结束": "closed", "未开始": "draft", "草稿": "draft", "已关闭": "closed",
    }


def test_rounds_list_plain_shows_id_status_dates_and_report_count(runner):
    round_ = make_round()
    line = runner.invoke(args=["rounds", "list"]).output.strip()
    assert line.startswith(f"{round_.id}\topen\t{round_.starts_on}..{round_.ends_on}\treports: 0\t测试巡察")
