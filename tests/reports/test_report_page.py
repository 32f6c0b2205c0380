"""A report's page: viewing is audited and marks it read; identity only by an audited act; notes and replies."""
from contextlib import contextmanager

import pytest
from sqlalchemy import delete, event, select, update
from sqlalchemy.exc import IntegrityError

from reporting.extensions import db
from reporting.models import MAX_ATTACHMENT_BYTES, AttachmentBlob, AuditEvent, Message, ReportRead
from tests.factories import csrf_token, log_in


def actions(report_id: int) -> list[str]:
    return list(db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.report_id == report_id).order_by(AuditEvent.id)))


def test_viewing_is_audited_and_marks_the_report_read(client, staff, reports):
    report = reports["team1"][0]
    log_in(client, staff["member1"])
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    assert "反映甲单位领导违规发放津贴的问题。" in page
    assert actions(report.id) == ["report.viewed"]
    assert "查看了反映" not in client.get(f"/staff/reports/{report.id}").get_data(as_text=True)  # in the audit log only
    assert db.session.get(ReportRead, (staff["member1"].id, report.id)) is not None


def test_the_identity_is_hidden_until_a_leader_asks_and_the_asking_is_audited(client, staff, reports, post_form):
    report = reports["team1"][0]
    log_in(client, staff["member1"])
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    assert "李四" not in page and "13912345678" not in page and "显示身份" not in page
    assert post_form(f"/staff/reports/{report.id}/identity", token_page="/staff/account").status_code == 403
    log_in(client, staff["leader1"])
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    assert "李四" not in page and "显示身份" in page
    response = client.post(f"/staff/reports/{report.id}/identity", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302  # a page of its own: reloading it posts nothing again
    assert response.headers["Location"] == f"/staff/reports/{report.id}#identity"
    shown = client.get(f"/staff/reports/{report.id}")
    assert shown.headers["Cache-Control"] == "no-store" and "李四 · 13912345678" in shown.get_data(as_text=True)
    revealed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "identity.revealed")).one()
    assert (revealed.actor_id, revealed.report_id) == (staff["leader1"].id, report.id)
    assert "李四" not in client.get(f"/staff/reports/{report.id}").get_data(as_text=True)  # a reload: hidden again


def test_an_identity_sealed_under_another_data_key_gets_a_page_that_names_the_key(
        app, client, staff, reports, caplog, monkeypatch):
    monkeypatch.setattr(app.logger, "disabled", False)  # Alembic's logging setup, run by the migrations, turned it off
    report = reports["team1"][0]
    log_in(client, staff["leader1"])
    page = client.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    app.config["DATA_KEY"] = bytes(32)  # the host was restored without its key
    response = client.post(f"/staff/reports/{report.id}/identity", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "REPORTING_DATA_KEY" in text and "李四" not in text and "Traceback" not in text
    assert "sealed under another REPORTING_DATA_KEY" in caplog.text
    assert "identity.revealed" not in actions(report.id)


def test_an_anonymous_report_has_no_identity_to_show(client, staff, reports):
    log_in(client, staff["admin"])
    page = client.get(f"/staff/reports/{reports['team2'][0].id}").get_data(as_text=True)
    assert "匿名" in page and "显示身份" not in page


def test_a_reply_reaches_the_reporter_and_a_note_does_not(client, staff, reports, post_form):
    report, receipt = reports["team1"]
    log_in(client, staff["member1"])
    path = f"/staff/reports/{report.id}"
    for kind, body in (("reply", "您反映的问题已转县纪委监委。"), ("note", "内部：先核实津贴发放表。")):
        assert post_form(f"{path}/messages", {"kind": kind, "body": body}, token_page=path).status_code == 302
    assert [m.kind for m in db.session.scalars(select(Message).order_by(Message.id))] == ["reply", "note"]
    reporter = client.application.test_client()  # the reporter's own browser, no staff session
    page = reporter.post("/status", data={"csrf_token": csrf_token(reporter.get("/status").get_data(as_text=True)),
                                          "receipt": receipt}).get_data(as_text=True)
    assert "您反映的问题已转县纪委监委。" in page
    assert "先核实津贴发放表" not in page and "member1" not in page


def test_an_empty_message_is_refused(client, staff, reports, post_form):
    report = reports["team1"][0]
    log_in(client, staff["member1"])
    path = f"/staff/reports/{report.id}"
    assert post_form(f"{path}/messages", {"kind": "note", "body": " "}, token_page=path).status_code == 400


def test_attachments_are_served_to_those_who_may_see_them(client, staff, reports):
    report = reports["team1"][0]
    (attachment,) = report.attachments
    log_in(client, staff["leader1"])
    response = client.get(f"/staff/attachments/{attachment.id}")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.headers["Cache-Control"] == "no-store" and response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data[:2] == b"\xff\xd8" and int(response.headers["Content-Length"]) == attachment.size


@contextmanager
def statements():
    """The SQL the app sends while the block runs."""
    seen = []

    def note(_connection, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def test_the_queue_the_report_page_and_the_status_page_never_load_photo_bytes(client, staff, reports, post_form):
    report, receipt = reports["team1"]
    log_in(client, staff["admin"])
    with statements() as seen:
        assert client.get("/staff/").status_code == 200
        assert client.get(f"/staff/reports/{report.id}").status_code == 200
        assert post_form("/status", {"receipt": receipt}, token_page="/status").status_code == 200
    assert any("attachment_blob" in statement for statement in seen)  # which photos are kept: ids only
    assert [statement for statement in seen if "attachment_blob.data" in statement] == []
    with statements() as seen:
        assert client.get(f"/staff/attachments/{report.attachments[0].id}").status_code == 200
    assert [statement for statement in seen if "attachment_blob.data" in statement] != []


def test_the_database_refuses_a_photo_past_the_bound(reports):
    """The bound holds whatever writes the row, so serving a photo never holds more than it in memory."""
    (attachment,) = reports["team1"][0].attachments
    with pytest.raises(IntegrityError, match="bounded"):
        with db.session.begin_nested():
            db.session.execute(update(AttachmentBlob).where(AttachmentBlob.attachment_id == attachment.id)
                               .values(data=b"0" * (MAX_ATTACHMENT_BYTES + 1)))


def test_an_attachment_whose_file_is_missing_is_named_not_a_500(client, staff, reports):
    report = reports["team1"][0]
    (attachment,) = report.attachments
    # A file already lost from disk when the upgrade moved the others into the database.
    db.session.execute(delete(AttachmentBlob).where(AttachmentBlob.attachment_id == attachment.id))
    log_in(client, staff["leader1"])
    page = client.get(f"/staff/reports/{report.id}")
    assert page.status_code == 200 and "服务器上找不到这个文件" in page.get_data(as_text=True)
    assert f"/staff/attachments/{attachment.id}" not in page.get_data(as_text=True)
    download = client.get(f"/staff/attachments/{attachment.id}")
    assert download.status_code == 404 and "服务器上找不到这个文件" in download.get_data(as_text=True)
