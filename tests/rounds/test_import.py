"""`rounds import`: JSON makes a round with teams, units and locations; CSV adds locations; one bad entry
imports nothing and is named."""
import json

import pytest
from sqlalchemy import func, select

from reporting.extensions import db
from reporting.followup.bodies import DEFAULT_BODIES, DEFAULT_RANK_BODIES
from reporting.models import QrCode, Round, Team, Unit
from reporting.rounds.services import TeamPlan
from tests.factories import make_round

PLAN = {
    "round": {"name": "县委第三轮巡察", "level": "county", "starts_on": "2026-12-01", "ends_on": "2027-01-15",
              "phone": "0000-7654321", "notice": "<p>受理范围</p><script>x()</script>", "status": "open"},
    "teams": [{"name": "第一巡察组", "units": [{"name": "城关镇"}, {"name": "东山村"}]},
              {"name": "第二巡察组", "units": [{"name": "西河村"}]}],
    "locations": [{"label": "东山村村委会公告栏", "unit": "东山村"}, {"label": "西河村小卖部", "unit": "西河村"}],
}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def write(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_a_json_plan_makes_the_round_teams_units_and_location_codes(runner, tmp_path):
    result = runner.invoke(args=["rounds", "import", str(write(tmp_path, "r.json", json.dumps(PLAN)))])
    assert result.exit_code == 0, result.output
    round_ = db.session.scalars(select(Round)).one()
    assert round_.name == "县委第三轮巡察" and round_.status == "open" and "script" not in round_.notice
    assert "廉洁纪律" in round_.categories  # the default list
    assert [[unit.name for unit in team.units] for team in round_.teams] == [["城关镇", "东山村"], ["西河村"]]
    codes = db.session.scalars(select(QrCode).where(~QrCode.is_round_code).order_by(QrCode.id)).all()
    assert [(code.label, code.unit.name, code.team.name) for code in codes] == [
        ("东山村村委会公告栏", "东山村", "第一巡察组"), ("西河村小卖部", "西河村", "第二巡察组")]
    assert f"round: {round_.id} teams: 2 units: 3 locations: 2" in result.output


@pytest.mark.parametrize(("change", "named"), [
    (lambda plan: plan["round"].pop("name"), "round.name"),
    (lambda plan: plan["round"].update(ends_on="2026-11-01"), "round.ends_on"),
    (lambda plan: plan["round"].update(timezone="Mars/Olympus"), "round.timezone"),
    (lambda plan: plan["teams"][1]["units"].append({"name": ""}), "teams[2].units[2].name"),
    (lambda plan: plan["locations"].append({"label": "某处", "unit": "不存在的村"}), "locations[3]"),
    (lambda plan: plan["round"].update(recieving_bodies=["县纪委监委"]), "round：没有字段 'recieving_bodies'"),
    (lambda plan: plan["round"].update(receiving_bodies=["县纪委监委", "其他"]), "round.receiving_bodies：“其他”"),
    (lambda plan: plan["round"].update(receiving_bodies="县纪委监委"), "round.receiving_bodies"),
    (lambda plan: plan["round"].update(rank_bodies={"县处级": "县委组织部"}), "round.rank_bodies"),
    (lambda plan: plan["round"].update(rank_bodies={"处长": "纪检监察机关"}), "round.rank_bodies"),
])
def test_one_bad_entry_imports_nothing_and_is_named(runner, tmp_path, change, named):
    plan = json.loads(json.dumps(PLAN))
    change(plan)
    result = runner.invoke(args=["rounds", "import", str(write(tmp_path, "r.json", json.dumps(plan)))])
    assert result.exit_code != 0 and named in result.output and "未导入任何内容" in result.output
    assert (count(Round), count(Team), count(Unit), count(QrCode)) == (0, 0, 0, 0)


def test_a_plan_brings_the_rounds_receiving_bodies_and_rank_table(runner, tmp_path):
    """As the round's page takes them (SPEC: receiving bodies are a list per round), else the defaults."""
    plan = json.loads(json.dumps(PLAN))
    plan["round"] |= {"receiving_bodies": ["县纪委监委", " 县委组织部", "县纪委监委"],
                      "rank_bodies": {"县处级": "县委组织部", "乡科级": "县纪委监委"}}
    result = runner.invoke(args=["rounds", "import", str(write(tmp_path, "r.json", json.dumps(plan)))])
    assert result.exit_code == 0, result.output
    round_ = db.session.scalars(select(Round)).one()
    assert round_.receiving_bodies == ["县纪委监委", "县委组织部"]
    assert round_.rank_bodies == {"县处级": "县委组织部", "乡科级": "县纪委监委"}
    plain = runner.invoke(args=["rounds", "import", str(write(tmp_path, "p.json", json.dumps(PLAN)))])
    assert plain.exit_code == 0, plain.output
    default = db.session.scalars(select(Round).order_by(Round.id.desc())).first()
    assert default.receiving_bodies == list(DEFAULT_BODIES) and default.rank_bodies == DEFAULT_RANK_BODIES


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_a_csv_adds_locations_and_missing_units_to_an_existing_round(runner, tmp_path, encoding):
    round_ = make_round()
    text = "team,unit,label\n第一组,甲单位,甲单位大门\n第一组,新村,新村祠堂\n新组,新单位,新单位食堂\n"
    result = runner.invoke(args=["rounds", "import", str(write(tmp_path, "l.csv", text, encoding)),
                                 "--round", str(round_.id)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert sorted(unit.name for unit in round_.units) == ["乙单位", "新单位", "新村", "甲单位"]
    labels = db.session.scalars(select(QrCode.label).where(~QrCode.is_round_code).order_by(QrCode.id)).all()
    assert labels == ["甲单位大门", "新村祠堂", "新单位食堂"]


def test_a_csv_with_a_bad_line_names_it_and_imports_nothing(runner, tmp_path):
    round_ = make_round()
    path = write(tmp_path, "l.csv", "team,unit,label\n第一组,甲单位,大门\n第一组,,无单位\n")
    result = runner.invoke(args=["rounds", "import", str(path), "--round", str(round_.id)])
    assert result.exit_code != 0 and "第 3 行：被巡察单位名称为空" in result.output
    assert count(QrCode) == 1  # the round's own code only


def test_a_csv_needs_its_round(runner, tmp_path):
    result = runner.invoke(args=["rounds", "import", str(write(tmp_path, "l.csv", "team,unit,label\n"))])
    assert result.exit_code != 0 and "--round" in result.output


def test_a_csv_naming_a_unit_under_another_team_fails_whole_with_its_line(runner, tmp_path):
    round_ = make_round([TeamPlan("第一组", ["甲单位"]), TeamPlan("第二组", ["乙单位"])])
    path = write(tmp_path, "l.csv", "team,unit,label\n第一组,新村,新村祠堂\n第一组,乙单位,乙单位大门\n")
    result = runner.invoke(args=["rounds", "import", str(path), "--round", str(round_.id)])
    assert result.exit_code != 0 and "第 3 行：被巡察单位 乙单位 属于第二组，而不是第一组" in result.output
    db.session.expire_all()
    assert (count(Unit), count(QrCode)) == (2, 1)  # no 新村, no second 乙单位, no code


def test_importing_the_same_locations_again_keeps_their_codes(runner, tmp_path):
    round_ = make_round()
    path = write(tmp_path, "l.csv", "team,unit,label\n第一组,甲单位,甲单位大门\n第一组,新村,新村祠堂\n")
    for _ in range(2):
        result = runner.invoke(args=["rounds", "import", str(path), "--round", str(round_.id)])
        assert result.exit_code == 0, result.output
    labels = db.session.scalars(select(QrCode.label).where(~QrCode.is_round_code).order_by(QrCode.id)).all()
    assert labels == ["甲单位大门", "新村祠堂"]
