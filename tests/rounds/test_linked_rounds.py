"""Linked rounds: a round names a parent (a province's round, or the round a 回头看 revisits); the admin form offers
only rounds that make no cycle, and `rounds import` takes the link."""
import json
from datetime import date

import pytest
from sqlalchemy import select

from reporting.extensions import db
from reporting.models import Round
from reporting.rounds.lineage import RoundLink, linked_ids, would_cycle
from reporting.rounds.services import update_round
from tests.factories import csrf_from, log_in, make_round, make_staff
from tests.rounds.test_admin_rounds import round_form

DAY = date(2026, 1, 1)
CHAIN = [RoundLink(1, None, DAY), RoundLink(2, 1, DAY), RoundLink(3, 2, DAY), RoundLink(4, None, DAY)]


def test_linked_ids_follow_children_at_any_depth_and_stop_at_a_cycle():
    assert linked_ids([1], CHAIN) == {1, 2, 3} and linked_ids([4], CHAIN) == {4}
    assert linked_ids([1], [RoundLink(1, 2, DAY), RoundLink(2, 1, DAY)]) == {1, 2}


@pytest.mark.parametrize(("round_id", "parent_id", "cycles"), [
    (1, 1, True), (1, 2, True), (1, 3, True), (1, 4, False), (3, 1, False), (2, None, False), (4, 3, False)])
def test_a_round_cannot_be_linked_below_itself(round_id, parent_id, cycles):
    assert would_cycle(round_id, parent_id, CHAIN) is cycles


@pytest.fixture
def rounds(app):
    province = make_round(name="省委巡视")
    county = make_round(name="县委巡察", parent_id=province.id)
    other = make_round(name="另一轮")
    return province, county, other


def test_the_form_offers_only_rounds_that_make_no_cycle(client, rounds):
    province, county, other = rounds
    log_in(client, make_staff("admin"))
    page = client.get(f"/admin/rounds/{province.id}").get_data(as_text=True)
    options = page[page.index('id="parent_id"'):page.index("</select>", page.index('id="parent_id"'))]
    assert "另一轮" in options and "县委巡察" not in options and "省委巡视" not in options


def test_an_admin_links_a_revisit_and_a_cycle_is_refused(client, rounds):
    province, county, other = rounds
    log_in(client, make_staff("admin"))
    path = f"/admin/rounds/{other.id}"
    saved = client.post(path, data=round_form(csrf_token=csrf_from(client, path), parent_id=str(county.id),
                                              is_revisit="y"))
    assert saved.status_code == 302
    db.session.expire_all()
    assert (other.parent_id, other.is_revisit) == (county.id, True)
    path = f"/admin/rounds/{province.id}"
    refused = client.post(path, data=round_form(csrf_token=csrf_from(client, path), parent_id=str(other.id)))
    assert refused.status_code == 400
    db.session.expire_all()
    assert province.parent_id is None
    with pytest.raises(ValueError, match="below itself"):
        update_round(province, {"parent_id": other.id}, None)


def test_a_revisit_needs_its_parent(client, rounds):
    _, _, other = rounds
    log_in(client, make_staff("admin"))
    path = f"/admin/rounds/{other.id}"
    response = client.post(path, data=round_form(csrf_token=csrf_from(client, path), is_revisit="y"))
    assert response.status_code == 400
    assert "“回头看”须选择所回头看的轮次作为上级轮次。" in response.get_data(as_text=True)


def test_import_takes_a_parent_and_a_revisit(runner, tmp_path, rounds):
    province = rounds[0]
    plan = {"round": {"name": "回头看", "starts_on": "2027-01-01", "ends_on": "2027-02-01", "parent_id": province.id,
                      "is_revisit": True}}
    path = tmp_path / "r.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    assert runner.invoke(args=["rounds", "import", str(path)]).exit_code == 0
    made = db.session.scalars(select(Round).where(Round.name == "回头看")).one()
    assert (made.parent_id, made.is_revisit) == (province.id, True)
    for bad in ({"parent_id": 9999}, {"is_revisit": True}, {"parent_id": "1"}):
        path.write_text(json.dumps({"round": plan["round"] | {"parent_id": None} | bad}), encoding="utf-8")
        result = runner.invoke(args=["rounds", "import", str(path)])
        assert result.exit_code != 0 and "未导入任何内容" in result.output, bad
