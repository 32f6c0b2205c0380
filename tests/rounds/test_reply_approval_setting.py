"""The round setting that makes members' replies drafts a leader approves: the round page and `rounds import`."""
import json

from sqlalchemy import select

from reporting.extensions import db
from reporting.models import Round
from tests.factories import csrf_from, log_in, make_round, make_staff
from tests.rounds.test_admin_rounds import round_form


def test_the_round_page_sets_the_setting_and_says_waiting_drafts_stay(client, app):
    round_ = make_round()
    log_in(client, make_staff("admin"))
    path = f"/admin/rounds/{round_.id}"
    page = client.get(path).get_data(as_text=True)
    assert "组员回复反映人，须经组长审核通过后发出" in page and "关闭此项不会自动发出已在等待审核的草稿" in page
    assert client.post(path, data=round_form(csrf_token=csrf_from(client, path), replies_need_approval="y")
                       ).status_code == 302
    db.session.expire_all()
    assert round_.replies_need_approval is True
    assert client.post(path, data=round_form(csrf_token=csrf_from(client, path))).status_code == 302
    db.session.expire_all()
    assert round_.replies_need_approval is False


def test_import_takes_the_setting_and_refuses_anything_but_true_or_false(runner, tmp_path, app):
    plan = {"round": {"name": "审核回复的巡察", "starts_on": "2027-01-01", "ends_on": "2027-02-01",
                      "replies_need_approval": True}}
    path = tmp_path / "r.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    assert runner.invoke(args=["rounds", "import", str(path)]).exit_code == 0
    assert db.session.scalars(select(Round).where(Round.name == "审核回复的巡察")).one().replies_need_approval
    path.write_text(json.dumps({"round": plan["round"] | {"name": "另一轮", "replies_need_approval": "yes"}}),
                    encoding="utf-8")
    result = runner.invoke(args=["rounds", "import", str(path)])
    assert result.exit_code != 0 and "round.replies_need_approval：须为 true 或 false" in result.output
    assert db.session.scalars(select(Round).where(Round.name == "另一轮")).first() is None
