"""The security review's findings on the resident's side: 500s that lost the text, limits by IPv6 /64,
times that could name a reporter, the access log, the SQLite file's mode and errors that looked like outages."""
import io
import logging
import os
import re
import stat
from datetime import date, time

import pytest
from PIL import Image, PngImagePlugin
from sqlalchemy import select

from reporting import create_app
from reporting.errors import day_only_for_residents
from reporting.extensions import db
from reporting.models import Message, Report
from reporting.reports.services import add_message
from reporting.security import address_block
from tests.conftest import app_config
from tests.factories import make_staff
from tests.intake.conftest import image_file, receipt_in
from tests.served import gunicorn, seeded_database


def last_report() -> Report:
    db.session.expire_all()
    return db.session.scalars(select(Report).order_by(Report.id.desc())).first()


# 500s that lost the text: each is now a 4xx (or simply works) with the text kept -----------------------------

def png_with_a_text_bomb() -> tuple[io.BytesIO, str]:
    """2 KB of PNG whose zTXt chunk inflates to 2 MB, past Pillow's 1 MB limit for text."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "a" * 2_000_000, zip=True)
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "PNG", pnginfo=info)
    buffer.seek(0)
    return buffer, "bomb.png"


def test_a_png_whose_text_chunk_inflates_too_far_is_refused_with_the_text_kept(submit):
    answer = submit(content="附件有问题时文字要保留。", attachments=[png_with_a_text_bomb()])
    assert answer.status_code == 400
    html = answer.get_data(as_text=True)
    assert "附件有问题时文字要保留。" in html and "bomb.png" in html


def test_attachments_sent_as_a_plain_field_are_ignored(submit):
    answer = submit(content="没有真正的附件。", attachments="not a file")
    assert answer.status_code == 200 and last_report().attachments == []


def test_nul_in_a_path_is_a_404_and_in_text_is_dropped(client, submit):
    assert client.get("/r/%00").status_code == 404
    assert client.get("/r/abc%00def").status_code == 404
    assert submit(content="含有\x00空字符的内容。", subject_name="张\x00三").status_code == 200
    assert (last_report().content, last_report().subject_name) == ("含有空字符的内容。", "张三")


def test_nul_free_values_keep_every_value_of_a_field():
    from reporting.text import NulFreeMultiDict
    assert NulFreeMultiDict({"a": ["1", "2\x00"], "b": "x\x00"}).getlist("a") == ["1", "2"]
    assert NulFreeMultiDict([("a", "1"), ("a", "2")]).getlist("a") == ["1", "2"]


def test_a_category_longer_than_a_report_keeps_is_refused_on_the_round_form(app):
    from reporting.rounds.forms import RoundForm
    with app.test_request_context(method="POST", data={"categories": "甲" * 101}):
        form = RoundForm.for_round(None, [])
        form.validate()
        assert "categories" in form.errors


# Limits key IPv6 clients by their /64 ---------------------------------------------------------------------------

@pytest.mark.parametrize(("address", "block"), [
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"), ("2001:db8:1:2:ffff::9", "2001:db8:1:2::/64"),
    ("198.51.100.7", "198.51.100.7"), ("::ffff:198.51.100.7", "198.51.100.7"), ("", "")])
def test_an_address_counts_as_its_block(address, block):
    assert address_block(address) == block




# No time finer than the day for what a resident sends -----------------------------------------------------------

def test_a_web_report_its_messages_and_photos_keep_the_day_not_the_time(client, submit, lookup, open_round):
    receipt = receipt_in(submit(anonymous="0", reporter_name="王小明", reporter_phone="13800001234",
                                attachments=[image_file()]).get_data(as_text=True))
    lookup(receipt=receipt, message="补充一张照片。", attachments=[image_file()])
    report = last_report()
    stamps = [report.created_at, report.updated_at] + [message.created_at for message in report.messages] + [
        attachment.created_at for attachment in report.attachments]
    assert len(stamps) == 5 and all(stamp.time() == time(0) for stamp in stamps)
    note = add_message(make_staff("admin"), report, "note", "内部备注")  # staff acts keep their time
    assert db.session.get(Message, note.id).created_at.microsecond != 0


def test_the_staff_page_shows_a_residents_message_by_its_day(client, submit, lookup):
    from tests.factories import log_in
    receipt = receipt_in(submit().get_data(as_text=True))
    lookup(receipt=receipt, message="补充。")
    log_in(client, make_staff("admin"))
    page = client.get(f"/staff/reports/{last_report().id}").get_data(as_text=True)
    meta = page.split("反映人补充")[1].split("</p>")[0]
    assert ":" not in meta and str(date.today().day) in meta


# The access log: the route's pattern, and for residents the day ---------------------------------------------------

def test_the_access_log_names_the_route_not_the_token_and_keeps_only_the_day_for_residents(tmp_path):
    url, token = seeded_database(tmp_path)
    with gunicorn(tmp_path, REPORTING_DATABASE_URL=url, REPORTING_CAPTCHA="0") as served:
        assert served.request(f"/r/{token}")[0] == 200
        assert served.request("/staff/login")[0] == 200
    lines = served.output.splitlines()
    assert token not in served.output
    (intake,) = [line for line in lines if '"GET /r/<token>"' in line]
    assert re.match(r"^\[\d\d/\w{3}/\d{4}\] ", intake)
    (login,) = [line for line in lines if '"GET /staff/login"' in line]
    assert re.match(r"^\[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d ", login)


# The SQLite file and its -wal/-shm are the owner's only -----------------------------------------------------------

def test_the_sqlite_file_and_its_wal_and_shm_are_owner_only(tmp_path):
    path = tmp_path / "private.sqlite"
    app = create_app(app_config(f"sqlite:///{path}", tmp_path))
    with app.app_context():
        with db.engine.connect() as connection:
            connection.exec_driver_sql("CREATE TABLE t (x)")
            connection.exec_driver_sql("INSERT INTO t VALUES (1)")
            connection.commit()
            modes = {suffix: stat.S_IMODE(os.stat(f"{path}{suffix}").st_mode) for suffix in ("", "-wal", "-shm")}
        db.engine.dispose()
    assert modes == {"": 0o600, "-wal": 0o600, "-shm": 0o600}


# An unmigrated database is a fault (500, logged), not an outage (503) ------------------------------------------

def test_an_unmigrated_database_is_a_logged_500_not_a_503(tmp_path, monkeypatch):
    app = create_app(app_config(f"sqlite:///{tmp_path / 'empty.sqlite'}", tmp_path) | {"PROPAGATE_EXCEPTIONS": False})
    logged = []
    monkeypatch.setattr(app.logger, "error", lambda message, *args, **kwargs: logged.append(message % args))
    answer = app.test_client().get("/")
    assert answer.status_code == 500
    assert logged and "OperationalError" in logged[0] and "<no route>" not in logged[0]


def test_the_error_log_keeps_only_the_day_of_a_residents_request(app):
    for path, day_only in (("/r/some-token", True), ("/status", True), ("/staff/", False)):
        record = logging.LogRecord("reporting", logging.ERROR, __file__, 1, "Exception on POST", (), None)
        with app.test_request_context(path, method="POST"):
            assert day_only_for_residents(record)
        assert (record.created % 86400 == 0) is day_only, path
