"""`GET /r/<token>`: the round's page and form, or why there is none."""
import threading
from datetime import date, timedelta

from sqlalchemy import event, func, select

from reporting.extensions import db
from reporting.links import new_token
from reporting.models import Attachment, QrCode, Report, utcnow
from reporting.rounds.services import TeamPlan
from reporting.scans import count_scan, scans_of
from tests.factories import csrf_token, make_round


def pinned_code(round_, unit) -> QrCode:
    code = QrCode(round=round_, team=unit.team, unit=unit, token=new_token(), label="村委会公告栏")
    db.session.add(code)
    db.session.commit()
    return code


def test_an_unknown_token_is_404(client, open_round):
    assert client.get("/r/not-a-token").status_code == 404


def test_an_open_round_shows_its_notice_channels_and_form(client):
    round_ = make_round(notice="<p>受理<strong>违反廉洁纪律</strong>问题</p><script>alert(1)</script>",
                        intake_hours="工作日 9:00-17:00", email="xc@example.org")
    page = client.get(f"/r/{round_.round_code.token}").get_data(as_text=True)
    assert "<strong>违反廉洁纪律</strong>" in page
    assert "<script>alert(1)</script>" not in page
    for shown in ("0000-1234567", "工作日 9:00-17:00", "测试信箱 1 号", "xc@example.org", "廉洁纪律"):
        assert shown in page
    for name in ("anonymous", "reporter_name", "reporter_phone", "unit_id", "category", "subject_name",
                 "subject_unit", "subject_position", "content", "attachments", "csrf_token", "homepage"):
        assert f'name="{name}"' in page
    assert 'checked id="anonymous-0" name="anonymous" type="radio" value="1"' in page
    assert page.count("<h1>") == 1


def test_the_top_of_the_page_says_the_hours_and_the_teams_and_units_inspected(client):
    round_ = make_round([TeamPlan("第一组", ["甲镇", "乙镇"]), TeamPlan("第二组", ["丙局"])],
                        intake_hours="工作日 9:00-17:00")
    page = client.get(f"/r/{round_.round_code.token}").get_data(as_text=True)
    top = page[:page.index("<form")]
    assert "受理时间：工作日 9:00-17:00" in top and "本轮巡察的单位（3）" in top
    assert "<dt>第一组</dt><dd>甲镇、乙镇</dd>" in top and "<dt>第二组</dt><dd>丙局</dd>" in top
    round_.teams[1].name = "第二巡察组"  # a renamed team is a new page, never a stale one
    db.session.commit()
    assert "<dt>第二巡察组</dt>" in client.get(f"/r/{round_.round_code.token}").get_data(as_text=True)


def test_a_notice_typed_as_plain_text_keeps_its_paragraphs_and_lines(client):
    round_ = make_round(notice="受理范围：\n一、违反纪律的问题。\n\n不受理：已进入司法程序的 & <其他> 问题。")
    page = client.get(f"/r/{round_.round_code.token}").get_data(as_text=True)
    assert ("<p>受理范围：<br>一、违反纪律的问题。</p><p>不受理：已进入司法程序的 &amp; &lt;其他&gt; 问题。</p>"
            in page)


def test_a_code_pinned_to_a_unit_preselects_it(client, open_round):
    unit = open_round.units[1]
    page = client.get(f"/r/{pinned_code(open_round, unit).token}").get_data(as_text=True)
    assert f'<option selected value="{unit.id}">{unit.name}</option>' in page


def test_each_visit_counts_one_scan_and_writes_nothing_to_the_database(app, client, open_round):
    code = open_round.round_code
    written = []

    def note_writes(_connection, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith("SELECT"):
            written.append(statement)

    event.listen(db.engine, "before_cursor_execute", note_writes)
    try:
        assert [client.get(f"/r/{code.token}").status_code for _ in range(2)] == [200, 200]
    finally:
        event.remove(db.engine, "before_cursor_execute", note_writes)
    assert [statement for statement in written if "SAVEPOINT" not in statement.upper()] == []
    assert scans_of([code]) == {code.id: 2}  # the staff's figures add what is pending (and store it)
    db.session.expire_all()
    assert db.session.get(QrCode, code.id).scan_count == 2


def test_scans_counted_at_once_from_many_threads_all_count(app, open_round):
    code = open_round.round_code

    def scan_fifty():
        with app.app_context():
            for _ in range(50):
                count_scan(code.id)

    threads = [threading.Thread(target=scan_fifty) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert scans_of([code]) == {code.id: 400}


def test_a_revoked_code_is_410_with_the_other_channels(client, open_round):
    code = pinned_code(open_round, open_round.units[0])
    code.revoked_at = utcnow()
    db.session.commit()
    response = client.get(f"/r/{code.token}")
    assert response.status_code == 410
    page = response.get_data(as_text=True)
    assert "此二维码已失效" in page and "0000-1234567" in page and "<form" not in page
    assert f'<a href="/r/{open_round.round_code.token}">在线向测试巡察反映</a>' in page
    open_round.status = "closed"  # a closed round's withdrawn poster leads to no form
    db.session.commit()
    assert "在线向" not in client.get(f"/r/{code.token}").get_data(as_text=True)


def test_a_report_sent_to_a_withdrawn_poster_goes_on_to_the_rounds_form_with_its_text(client, open_round):
    code = pinned_code(open_round, open_round.units[1])
    page = client.get(f"/r/{code.token}").get_data(as_text=True)
    code.revoked_at = utcnow()
    db.session.commit()
    fields = {"csrf_token": csrf_token(page), "content": "海报撤下前写好的反映内容。", "unit_id": str(code.unit_id)}
    refused = client.post(f"/r/{code.token}", data=fields)
    assert refused.status_code == 410 and saved_rows() == (0, 0)
    resend = refused.get_data(as_text=True)
    assert f'action="/r/{open_round.round_code.token}"' in resend and "海报撤下前写好的反映内容。" in resend
    assert client.post(f"/r/{open_round.round_code.token}", data=fields).status_code == 200
    report = db.session.scalars(select(Report)).one()
    assert (report.content, report.unit_id) == ("海报撤下前写好的反映内容。", code.unit_id)


def test_a_closed_round_is_410_with_the_other_channels_and_the_12388_line(client):
    round_ = make_round(status="closed")
    response = client.get(f"/r/{round_.round_code.token}")
    assert response.status_code == 410
    page = response.get_data(as_text=True)
    assert "已停止受理" in page and "测试信箱 1 号" in page and "<form" not in page
    assert "纪检监察机关" in page and "12388" in page and "www.12388.gov.cn" in page


def test_a_round_past_its_end_date_is_closed(client):
    today = date.today()
    round_ = make_round(starts_on=today - timedelta(days=30), ends_on=today - timedelta(days=2))
    assert client.get(f"/r/{round_.round_code.token}").status_code == 410


def test_a_round_not_yet_open_shows_its_opening_date_and_no_form(client):
    opens = date.today() + timedelta(days=5)
    round_ = make_round(starts_on=opens)
    response = client.get(f"/r/{round_.round_code.token}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "尚未开始受理" in page
    assert f"{opens.month}月{opens.day}日" in page
    assert "<form" not in page


def saved_rows() -> tuple[int, int]:
    """How many reports and attachments the database holds."""
    return (db.session.scalar(select(func.count()).select_from(Report)),
            db.session.scalar(select(func.count()).select_from(Attachment)))


def codes_as_stored() -> list[tuple]:
    """Every QR code's row as the database holds it: scan count, revocation, pinning, label."""
    return list(db.session.execute(select(QrCode.__table__).order_by(QrCode.id)))


def test_posting_to_a_closed_round_is_410_and_shows_the_text_back(client, open_round):
    token = open_round.round_code.token
    page = client.get(f"/r/{token}").get_data(as_text=True)
    open_round.status = "closed"
    db.session.commit()
    codes = codes_as_stored()
    # A report that would be accepted, form token and all: only the closed round can refuse it.
    fields = {"csrf_token": csrf_token(page), "content": "关闭前写好的内容"}
    response = client.post(f"/r/{token}", data=fields)
    assert response.status_code == 410
    assert "关闭前写好的内容" in response.get_data(as_text=True)
    db.session.expire_all()
    assert saved_rows() == (0, 0)  # nothing was saved
    assert codes_as_stored() == codes  # nothing else changed: not even a scan counted
    assert open_round.status == "closed"
    open_round.status = "open"  # the control: the same POST is a report while the round is open
    db.session.commit()
    assert client.post(f"/r/{token}", data=fields).status_code == 200
    assert saved_rows() == (1, 0)


def test_the_page_is_english_on_request(client, open_round):
    page = client.get(f"/r/{open_round.round_code.token}?lang=en").get_data(as_text=True)
    assert "Send report" in page and '<html lang="en">' in page
