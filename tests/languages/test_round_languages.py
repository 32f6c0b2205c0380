"""A round's languages: `rounds import` reads them, `rounds list --json` shows them, the admin ticks them."""
import json

import pytest
from sqlalchemy import func, select

from reporting.extensions import db
from reporting.models import Round
from reporting.rounds.services import update_round
from tests.factories import csrf_from, csrf_token, log_in, make_round, make_staff
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


def written_form(path: str, client, **texts) -> dict:
    """The round's form as its page shows it, with `texts` (`text_bo-name`: ...) changed."""
    return round_form(languages=["bo", "ug"], csrf_token=csrf_from(client, path)) | texts


def test_the_admin_writes_the_rounds_words_in_its_languages(client):
    log_in(client, make_staff("admin"))
    round_ = make_round(languages=["bo", "ug"], phone="0976-1234567")
    path = f"/admin/rounds/{round_.id}"
    page = client.get(path).get_data(as_text=True)
    assert 'id="text-bo"' in page and 'id="text-ug"' in page and 'dir="auto" id="text_ug-name" lang="ug"' in page
    data = written_form(path, client, **{
        "text_bo-name": "ཡུལ་ཤུལ་ཞིབ་བཤེར།", "text_bo-notice": "<p>ལེན་པའི་ཁྱབ་ཁོངས།</p><img src=x onerror=alert(1)>",
        "text_ug-name": "يۈشۇ ئوبلاستى تەكشۈرۈش", "text_ug-intake_hours": "خىزمەت كۈنلىرى", "text_ug-phone": " "})
    assert client.post(path, data=data).status_code == 302
    db.session.refresh(round_)
    assert round_.translations == {
        "bo": {"name": "ཡུལ་ཤུལ་ཞིབ་བཤེར།", "notice": "<p>ལེན་པའི་ཁྱབ་ཁོངས།</p>"},
        "ug": {"name": "يۈشۇ ئوبلاستى تەكشۈرۈش", "intake_hours": "خىزمەت كۈنلىرى"}}
    assert "ཡུལ་ཤུལ་ཞིབ་བཤེར།" in client.get(path).get_data(as_text=True)  # shown again to edit


def test_a_page_shows_the_rounds_words_in_its_language_and_chinese_where_none(client):
    round_ = make_round(languages=["bo", "ug"], name="玉树州巡察", notice="<p>受理范围</p>", intake_hours="工作日")
    update_round(round_, {"translations": {"bo": {"name": "ཡུལ་ཤུལ་ཞིབ་བཤེར།", "notice": "<p>ཁྱབ་ཁོངས།</p><img src=x>"}}},
                 None)
    token = round_.round_code.token
    tibetan = client.get(f"/r/{token}?lang=bo").get_data(as_text=True)
    assert "<h1>ཡུལ་ཤུལ་ཞིབ་བཤེར།</h1>" in tibetan and "<p>ཁྱབ་ཁོངས།</p>" in tibetan and "<img" not in tibetan
    assert "工作日" in tibetan and "0000-1234567" in tibetan  # nothing written in Tibetan: the Chinese
    uyghur = client.get(f"/r/{token}?lang=ug").get_data(as_text=True)
    assert "<h1>玉树州巡察</h1>" not in uyghur and "<p>受理范围</p>" in uyghur
    assert "<h1>玉树州巡察</h1>" in client.get(f"/r/{token}?lang=zh").get_data(as_text=True)
    assert "ཡུལ་ཤུལ་ཞིབ་བཤེར།" in client.get("/?lang=bo").get_data(as_text=True)


def test_chinese_on_a_page_in_another_language_is_marked_as_chinese(client):
    """Browsers draw unmarked Han characters on a Uyghur or English page with whatever CJK font they prefer
    (Japanese forms on some phones), and screen readers read them with the page's voice."""
    round_ = make_round(languages=["bo", "ug"], name="玉树州巡察", notice="<p>受理范围</p>", intake_hours="工作日",
                        postal_box="玉树州邮政信箱1号")
    update_round(round_, {"translations": {"bo": {"name": "ཡུལ་ཤུལ་ཞིབ་བཤེར།", "notice": "<p>ཁྱབ་ཁོངས།</p>"}}}, None)
    token = round_.round_code.token
    tibetan = client.get(f"/r/{token}?lang=bo").get_data(as_text=True)
    assert "<h1>ཡུལ་ཤུལ་ཞིབ་བཤེར།</h1>" in tibetan and "<div><p>ཁྱབ་ཁོངས།</p></div>" in tibetan  # written in Tibetan
    assert '<span lang="zh-Hans">工作日</span>' in tibetan and '<dd lang="zh-Hans">玉树州邮政信箱1号</dd>' in tibetan
    assert '<dl lang="zh-Hans">' in tibetan  # the units and teams: only ever Chinese
    for code in ("ug", "en"):
        page = client.get(f"/r/{token}?lang={code}").get_data(as_text=True)
        assert '<h1 lang="zh-Hans">玉树州巡察</h1>' in page and '<div lang="zh-Hans"><p>受理范围</p></div>' in page
    chinese = client.get(f"/r/{token}?lang=zh").get_data(as_text=True)
    assert "<h1>玉树州巡察</h1>" in chinese and 'lang="zh-Hans"' not in chinese.split("<body>", 1)[1]
    landing = client.get("/?lang=ug").get_data(as_text=True)
    assert '<span lang="zh-Hans">玉树州巡察</span></a>' in landing
    sent = client.post(f"/r/{token}", data={"csrf_token": csrf_token(client.get(f"/r/{token}?lang=ug").get_data(
        as_text=True)), "content": "يېزا كادىرى پارا ئالدى."}).get_data(as_text=True)
    assert '<p class="round-name"><span lang="zh-Hans">玉树州巡察</span></p>' in sent


def test_the_receipt_names_the_round_in_the_pages_language(client):
    round_ = make_round(languages=["ug"], name="喀什地区巡察")
    update_round(round_, {"translations": {"ug": {"name": "قەشقەر ۋىلايىتى تەكشۈرۈش"}}}, None)
    token = round_.round_code.token
    page = client.get(f"/r/{token}?lang=ug").get_data(as_text=True)
    sent = client.post(f"/r/{token}", data={"csrf_token": csrf_token(page), "content": "يېزا كادىرى پارا ئالدى."})
    receipt = sent.get_data(as_text=True)
    assert sent.status_code == 200 and '<p class="round-name">قەشقەر ۋىلايىتى تەكشۈرۈش</p>' in receipt
    assert '<html lang="ug" dir="rtl">' in receipt and 'dir="ltr" id="receipt"' in receipt


def test_an_imported_round_brings_its_own_words_in_its_languages(runner, tmp_path, client):
    texts = {"bo": {"name": "ཡུལ་ཤུལ་ཞིབ་བཤེར།", "notice": "<p>ཁྱབ་ཁོངས།</p><img src=x onerror=alert(1)>", "phone": " "}}
    result = import_plan(runner, tmp_path, languages=["bo"], translations=texts)
    assert result.exit_code == 0, result.output
    round_ = db.session.scalars(select(Round)).one()
    assert round_.translations == {"bo": {"name": "ཡུལ་ཤུལ་ཞིབ་བཤེར།", "notice": "<p>ཁྱབ་ཁོངས།</p>"}}
    assert "<h1>ཡུལ་ཤུལ་ཞིབ་བཤེར།</h1>" in client.get(f"/r/{round_.round_code.token}?lang=bo").get_data(as_text=True)


@pytest.mark.parametrize(("translations", "reason"), [
    ({"ug": {"name": "x"}}, "round.translations："),  # not a language of the round
    ({"bo": "ཡུལ"}, "round.translations："),
    ({"bo": {"categories": "x"}}, "round.translations.bo："),
    ({"bo": {"name": 1}}, "round.translations.bo："),
])
def test_words_for_another_language_or_field_are_refused(runner, tmp_path, translations, reason):
    result = import_plan(runner, tmp_path, languages=["bo"], translations=translations)
    assert result.exit_code != 0 and reason in result.output and "未导入任何内容" in result.output
    assert db.session.scalar(select(func.count()).select_from(Round)) == 0
