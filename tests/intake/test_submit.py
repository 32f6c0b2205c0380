"""`POST /r/<token>`: a report is saved before its receipt is shown; a refusal keeps every word."""
import hmac
import re

import pytest
from sqlalchemy import func, select, text

from reporting.extensions import db
from reporting.links import new_token
from reporting.models import QrCode, Report
from reporting.rounds.services import TeamPlan
from reporting.security import SealedUnderAnotherKey, decrypt_identity, receipt_digest
from tests.factories import make_round
from tests.intake.conftest import receipt_in

RECEIPT_FORMAT = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


def only_report() -> Report:
    db.session.expire_all()
    (report,) = db.session.scalars(select(Report)).all()
    return report


def report_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Report))


def database_text() -> str:
    """Every value of every table, as text: what a stolen database would show."""
    dump = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()):
            dump.extend(str(value) for value in row)
    return "\n".join(dump)


def test_an_anonymous_report_gives_a_receipt_straight_from_the_post(submit):
    response = submit(content="村主任虚报冒领补贴。", category="廉洁纪律")
    assert response.status_code == 200
    receipt = receipt_in(response.get_data(as_text=True))
    assert RECEIPT_FORMAT.match(receipt)
    report = only_report()
    assert report.content == "村主任虚报冒领补贴。"
    assert report.category == "廉洁纪律"
    assert report.channel == "web" and report.status == "received"
    assert report.is_anonymous and report.identity_ciphertext is None
    assert hmac.compare_digest(report.receipt_digest, receipt_digest(receipt))


def test_the_receipt_is_in_no_database_cookie_url_or_cache(submit):
    response = submit()
    receipt = receipt_in(response.get_data(as_text=True))
    compact = receipt.replace("-", "")
    dump = database_text()
    assert receipt not in dump and compact not in dump
    assert all(compact not in cookie and receipt not in cookie for cookie in response.headers.getlist("Set-Cookie"))
    assert response.headers["Cache-Control"] == "no-store"
    assert "Location" not in response.headers


def test_two_reports_get_different_receipts(submit):
    first = receipt_in(submit().get_data(as_text=True))
    second = receipt_in(submit().get_data(as_text=True))
    assert first != second


def test_anonymous_is_the_default_and_drops_a_typed_name(submit):
    response = submit(anonymous=None, reporter_name="张三", reporter_phone="13800000000")
    assert response.status_code == 200
    report = only_report()
    assert report.is_anonymous and report.identity_ciphertext is None
    assert "张三" not in database_text() and "13800000000" not in database_text()


def test_a_named_report_keeps_the_identity_only_as_ciphertext_bound_to_the_report(app, submit):
    response = submit(anonymous="0", reporter_name="李四", reporter_phone="139 0000 0000")
    assert response.status_code == 200
    report = only_report()
    assert not report.is_anonymous
    assert "李四" not in database_text() and "139 0000 0000" not in database_text()
    assert decrypt_identity(report.id, report.identity_ciphertext) == {"name": "李四", "phone": "139 0000 0000"}
    with pytest.raises(SealedUnderAnotherKey):
        decrypt_identity(report.id + 1, report.identity_ciphertext)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"anonymous": "0", "reporter_phone": "13900000000"}, "实名反映时必须填写"),
        ({"anonymous": "0", "reporter_name": "王五"}, "实名反映时必须填写"),
        ({"anonymous": "0", "reporter_name": "王五", "reporter_phone": "不是电话"}, "请输入 11 位手机号码"),
        ({"anonymous": "0", "reporter_name": "王五", "reporter_phone": "1380000123"}, "带区号的固定电话"),
        ({"content": ""}, "请描述您反映的问题"),
        ({"content": "太短"}, "请填写 5 至 5000 个字"),
        ({"content": "长" * 5001}, "请填写 5 至 5000 个字"),
        ({"homepage": "http://spam.example"}, "浏览器自动填写了隐藏的字段"),
        ({"csrf_token": "expired-or-forged"}, "页面打开时间较长"),
    ],
)
def test_a_refused_form_comes_back_filled_in_with_the_reason(submit, fields, reason):
    typed = {"subject_name": "赵六", "subject_unit": "某某镇政府", "subject_position": "副镇长",
             "content": "反映某某镇副镇长赵六违规收受礼金的问题。", "category": "廉洁纪律",
             "reporter_name": "", "reporter_phone": ""}
    response = submit(**(typed | fields))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert reason in page
    for name, value in (typed | fields).items():
        if name not in ("csrf_token", "homepage") and value and len(value) < 100:
            assert value in page, name
    assert 'value="廉洁纪律" selected' in page or '<option selected value="廉洁纪律">' in page
    assert report_count() == 0


def test_a_refused_form_offers_no_language_link_that_would_lose_the_text(submit):
    page = submit(content="短").get_data(as_text=True)
    assert "?lang=en" not in page


def test_resident_text_is_stored_as_typed_and_escaped_when_shown(submit, lookup):
    typed = ("<script>alert('x')</script> & <b>粗</b> 😀 𠜎𠜱 مرحبا "
             + "长" * 300 + " " + "a" * 400 + "\n第二行\tTab")
    receipt = receipt_in(submit(content=typed + "\x00\x07\x1b").get_data(as_text=True))
    assert only_report().content == typed
    page = lookup(receipt=receipt).get_data(as_text=True)
    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;粗&lt;/b&gt; 😀 𠜎𠜱 مرحبا" in page


def test_windows_line_endings_become_newlines(submit):
    submit(content="第一行\r\n第二行\r第三行")
    assert only_report().content == "第一行\n第二行\n第三行"


def test_the_report_reaches_the_team_of_the_chosen_unit_and_the_posted_unit_wins(client, submit):
    round_ = make_round(teams=[TeamPlan("一组", ["甲"]), TeamPlan("二组", ["乙"])])
    pinned = QrCode(round=round_, team=round_.teams[0], unit=round_.units[0], token=new_token())
    db.session.add(pinned)
    db.session.commit()
    submit(token=pinned.token, unit_id=str(round_.units[1].id))
    report = only_report()
    assert report.unit_id == round_.units[1].id
    assert report.team_id == round_.teams[1].id
    assert report.qr_code_id == pinned.id


def test_without_a_unit_the_report_follows_the_codes_team_or_waits_unrouted(submit):
    round_ = make_round(teams=[TeamPlan("一组", ["甲"]), TeamPlan("二组", ["乙"])])
    team_code = QrCode(round=round_, team=round_.teams[0], token=new_token())
    db.session.add(team_code)
    db.session.commit()
    submit(token=team_code.token)
    submit(token=round_.round_code.token)
    db.session.expire_all()
    teams = [report.team_id for report in db.session.scalars(select(Report).order_by(Report.id))]
    assert teams == [round_.teams[0].id, None]


def test_a_unit_of_another_round_is_refused(submit, open_round):
    other = make_round(name="另一轮")
    response = submit(unit_id=str(other.units[0].id))
    assert response.status_code == 400
    assert report_count() == 0


def test_no_address_or_user_agent_reaches_the_database(client, submit):
    client.environ_base.update({"REMOTE_ADDR": "203.0.113.77", "HTTP_USER_AGENT": "SecretPhone/9.9 MicroMessenger"})
    submit(anonymous="0", reporter_name="钱七", reporter_phone="13700000000")
    dump = database_text()
    assert "203.0.113.77" not in dump and "SecretPhone" not in dump
    columns = " ".join(db.session.execute(text("SELECT * FROM report")).keys())
    assert "ip" not in columns.split() and "user_agent" not in columns
