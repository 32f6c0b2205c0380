"""A round's languages: `rounds import` reads them, `rounds list --json` shows them, the admin ticks them."""
import json

import pytest
from sqlalchemy import func, select

from reporting.extensions import db
from reporting.models import Round
from reporting.rounds.services import update_round
from tests.factories import csrf_from, log_in, make_round, make_staff
from tests.languages.test_pages import switch
from tests.rounds.test_admin_rounds import round_form
from tests.rounds.test_import import PLAN, write


def import_plan(runner, tmp_path, **round_fields):
    plan = json.loads(json.dumps(PLAN))
    plan["round"].update(round_fields)
    return runner.invoke(args=["rounds", "import", str(write(tmp_path, "r.json", json.dumps(plan)))])


def test_an_imported_round_speaks_its_languages(runner, tmp_path, client):
    result = import_plan(runner, tmp_path, languages=["ug", "bo", "ug"])
    assert result.exit_code == 0, result.output
    round_ = db.session.scalars(select(Round)).one()
    assert round_.languages == ["ug", "bo"]
    assert switch(client.get(f"/r/{round_.round_code.token}").get_data(as_text=True)) == ["bo", "ug", "en"]
    listed = json.loads(runner.invoke(args=["rounds", "list", "--json"]).output)
    assert listed[0]["languages"] == ["ug", "bo"]


def test_a_round_without_languages_speaks_chinese_and_english(runner, tmp_path):
    assert import_plan(runner, tmp_path).exit_code == 0
    assert db.session.scalars(select(Round)).one().languages == []


@pytest.mark.parametrize(("languages", "reason"), [
    (["bo", "yue"], "round.languages：本系统没有语言 'yue'；可选 bo, ug, en"),
    (["zh"], "没有语言 'zh'"),
    ("bo", "round.languages：须为语言代码列表"),
    ([1], "须为语言代码列表"),
])
def test_an_unknown_language_is_refused_with_the_reason(runner, tmp_path, languages, reason):
    result = import_plan(runner, tmp_path, languages=languages)
    assert result.exit_code != 0 and reason in result.output and "未导入任何内容" in result.output
    assert db.session.scalar(select(func.count()).select_from(Round)) == 0


def test_the_admin_ticks_a_rounds_languages(client):
    log_in(client, make_staff("admin"))
    round_ = make_round()
    path = f"/admin/rounds/{round_.id}"
    page = client.get(path).get_data(as_text=True)
    assert 'name="languages" type="checkbox" value="bo"' in page and "藏文 བོད་ཡིག" in page
    data = round_form(languages=["bo", "ug"], csrf_token=csrf_from(client, path))
    assert client.post(path, data=data).status_code == 302
    db.session.refresh(round_)
    assert round_.languages == ["bo", "ug"]
    assert 'checked id="languages-0" name="languages" type="checkbox" value="bo"' in client.get(path).get_data(
        as_text=True)
    data = round_form(csrf_token=csrf_from(client, path))  # none ticked: Chinese (and English) only
    assert client.post(path, data=data).status_code == 302
    db.session.refresh(round_)
    assert round_.languages == []


def test_a_language_the_site_lacks_cannot_be_posted(client):
    log_in(client, make_staff("admin"))
    round_ = make_round()
    path = f"/admin/rounds/{round_.id}"
    response = client.post(path, data=round_form(languages=["xx"], csrf_token=csrf_from(client, path)))
    assert response.status_code == 400
    with pytest.raises(ValueError):
        update_round(round_, {"languages": ["xx"]}, None)
    assert round_.languages == []
