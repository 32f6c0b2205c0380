"""`/status`: the public status and replies by receipt, and information added to the same report."""
import pytest
from sqlalchemy import select

from reporting.extensions import db
from reporting.models import Attachment, Message
from tests.intake.conftest import image_file, receipt_in, the_report


def test_the_lookup_page_has_the_receipt_form(client):
    page = client.get("/status").get_data(as_text=True)
    assert 'name="receipt"' in page and 'name="csrf_token"' in page


@pytest.mark.parametrize("spell", [str.lower, lambda r: r.replace("-", " "), lambda r: r.replace("-", "")])
def test_a_receipt_is_found_whatever_its_case_spaces_or_hyphens(lookup, receipt, spell):
    response = lookup(receipt=spell(receipt))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<dd id="public-status">已受理</dd>' in page
    assert "反映村务不公开的问题。" in page
    assert response.headers["Cache-Control"] == "no-store"


def test_o_i_and_l_are_read_as_digits(lookup, submit, monkeypatch):
    monkeypatch.setattr("reporting.intake.services.new_receipt", lambda: "0110-1010-0000-1111")
    submit()
    assert '<dd id="public-status">' in lookup(receipt="OIlO-IOIO-oooo-iLlI").get_data(as_text=True)


@pytest.mark.parametrize("typed", ["ABCD-EFGH-JKMN-PQRS", "short", "UUUU-UUUU-UUUU-UUUU", "' OR 1=1 --"])
def test_an_unknown_receipt_gets_one_answer_that_says_nothing_more(lookup, receipt, typed):
    response = lookup(receipt=typed)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "没有与此查询码对应的反映" in page
    assert 'id="public-status"' not in page


def test_the_public_status_follows_triage(lookup, receipt):
    report = the_report()
    for status, shown in [("in_review", "正在办理"), ("clue", "正在办理"), ("transferred", "已转交有关部门办理"),
                          ("filed", "已办结"), ("out_of_scope", "不属于本次巡视巡察受理范围"),
                          ("duplicate", "已与此前的反映合并办理")]:
        report.status = status
        db.session.commit()
        assert f'<dd id="public-status">{shown}</dd>' in lookup(receipt=receipt).get_data(as_text=True)


def test_the_page_says_what_happens_next_acknowledges_the_photos_and_leads_back_to_the_round(
        lookup, submit, open_round):
    sent = submit(content="反映村务不公开的问题。", attachments=[image_file(), image_file()]).get_data(as_text=True)
    page = lookup(receipt=receipt_in(sent)).get_data(as_text=True)
    assert '<dt>巡察轮次</dt><dd>测试巡察</dd>' in page
    assert "接下来：</strong> 巡视巡察组会阅看每一件反映" in page
    assert "您随反映提交的 2 张照片已收到。" in page
    assert f'<a href="/r/{open_round.round_code.token}" id="round-page">返回测试巡察的页面</a>' in page
    assert "<h2>补充材料</h2>" in page and ">补充的内容</label>" in page  # not the heading twice
    open_round.status = "closed"
    db.session.commit()
    assert 'id="round-page"' not in lookup(receipt=receipt_in(sent)).get_data(as_text=True)


def test_staff_replies_show_and_staff_notes_never_do(lookup, receipt):
    report = the_report()
    db.session.add_all([Message(report=report, kind="reply", body="已转县纪委监委核查。"),
                        Message(report=report, kind="note", body="内部意见：线索编号 X-001")])
    db.session.commit()
    page = lookup(receipt=receipt).get_data(as_text=True)
    assert "已转县纪委监委核查。" in page and "巡视巡察组答复" in page
    assert "内部意见" not in page and "X-001" not in page


def test_the_reporter_adds_text_and_a_photo_to_the_same_report(app, lookup, receipt):
    response = lookup(receipt=receipt, message="补充：还有两户也被冒领。", attachments=[image_file()])
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "您的补充材料已添加" in page and "补充：还有两户也被冒领。" in page
    report = the_report()
    (message,) = report.messages
    assert (message.kind, message.body) == ("reporter", "补充：还有两户也被冒领。")
    (attachment,) = db.session.scalars(select(Attachment)).all()
    assert attachment.message_id == message.id and attachment.report_id == report.id


def test_adding_nothing_is_refused(lookup, receipt):
    response = lookup(receipt=receipt, message="   ")
    assert response.status_code == 400
    assert "请填写内容或上传照片" in response.get_data(as_text=True)
    assert db.session.scalars(select(Message)).all() == []


def test_a_refused_photo_keeps_the_added_text(lookup, receipt):
    response = lookup(receipt=receipt, message="这段补充不能丢。", attachments=[(image_file("GIF")[0], "x.gif")])
    assert response.status_code == 400
    assert "这段补充不能丢。" in response.get_data(as_text=True)
    assert db.session.scalars(select(Message)).all() == []


def test_an_expired_form_keeps_the_added_text(client, receipt):
    response = client.post("/status", data={"csrf_token": "stale", "receipt": receipt, "message": "过期也要保留。"})
    assert response.status_code == 400
    assert "过期也要保留。" in response.get_data(as_text=True)


def test_out_of_scope_shows_the_advice_and_nothing_else_of_triage(lookup, receipt):
    report = the_report()
    report.status, report.public_advice, report.closing_reason = "out_of_scope", "请向县人民法院反映。", "涉诉内部理由"
    db.session.commit()
    page = lookup(receipt=receipt).get_data(as_text=True)
    assert '<dd class="typed" id="public-advice">请向县人民法院反映。</dd>' in page
    assert "涉诉内部理由" not in page


def test_a_receipt_typed_full_width_or_with_other_dashes_is_found(lookup, receipt):
    full_width = receipt.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHJKMNPQRSTVWXYZ-"})
    for typed in (full_width, receipt.replace("-", "—"), receipt.replace("-", "_")):
        assert 'id="public-status"' in lookup(receipt=typed).get_data(as_text=True), typed
