"""Backup and restore as README's production section says: `pg_dump` restored into an empty database, or the
SQLite file copied with `flask backup`, plus the two keys; a new setup on it reads back every report, identity
and photo, and takes receipts. Without the same keys, receipts and identities are lost."""
import base64
import io
import os
import shutil
import subprocess
from datetime import date

import flask_migrate
import pytest
from PIL import Image
from sqlalchemy import make_url, select, text
from sqlalchemy.exc import DatabaseError
from werkzeug.datastructures import FileStorage

from reporting import create_app
from reporting.extensions import db
from reporting.intake.services import add_information, find_by_receipt, submit_report
from reporting.models import AttachmentBlob, Report
from reporting.reports.services import add_message, record_offline
from reporting.security import SealedUnderAnotherKey, decrypt_identity
from reporting.submission.services import Origin
from reporting.uploads import clean_images
from tests.conftest import IsolatedClient, app_config, migrate
from tests.factories import csrf_from, csrf_token, make_round, make_staff, submission

PASSWORD = "backup staff password"
CONTENT = {"web": "网上反映：村支书挪用扶贫款。", "letter": "来信反映镇里工程款拖欠。",
           "visit": "来访反映学校食堂收费。", "call": "来电反映卫生院收红包。"}


def keys() -> dict:
    """A deployment's own two keys, as its environment gives them."""
    return {"SECRET_KEY": base64.b64encode(os.urandom(32)).decode(), "DATA_KEY": os.urandom(32)}


def photo(shade: int) -> FileStorage:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (shade, 90, 200)).save(buffer, "JPEG")
    buffer.seek(0)
    return FileStorage(buffer, filename="p.jpg")


def populate(app) -> dict:
    """Reports of every channel but email, one named with a photo, an anonymous one, staff's replies and notes,
    a photo the reporter added later. Returns what a restore must give back."""
    with app.app_context():
        round_ = make_round()
        admin = make_staff("admin", username="admin", password=PASSWORD)
        named, receipt = submit_report(round_.round_code, submission(False, round_.units[0], content=CONTENT["web"]),
                                       clean_images([photo(10)]))
        add_information(named, "补充：他家在三组。", clean_images([photo(200)]))
        add_message(admin, named, "reply", "已收到，正在核实。")
        offline = [record_offline(admin, round_, submission(content=CONTENT[channel]), [],
                                  Origin(channel, date.today(), round_.teams[0].id))
                   for channel in ("letter", "visit", "call")]
        add_message(admin, offline[0], "note", "组内备注：先核实来信。")
        expected = {
            "reports": {named.id: CONTENT["web"]} | {report.id: CONTENT[report.channel] for report in offline},
            "named": named.id, "receipt": receipt,
            "photos": {blob.attachment_id: blob.data for blob in db.session.scalars(select(AttachmentBlob))},
        }
        db.engine.dispose()
    assert len(expected["photos"]) == 2
    return expected


def assert_reads_back(app, expected: dict) -> None:
    """Staff log in with their old password and read every report, the identity and the photos; the receipt
    finds its report; a new report takes the next id; the audit trail is still append-only."""
    app.test_client_class = IsolatedClient
    with app.app_context():
        flask_migrate.upgrade()  # what an upgrade after the restore does: nothing, the schema is current
        staff = app.test_client()
        login = staff.post("/staff/login", data={"csrf_token": csrf_from(staff), "username": "admin",
                                                 "password": PASSWORD})
        assert login.status_code == 302
        queue = staff.get("/staff/").get_data(as_text=True)
        for report_id, content in expected["reports"].items():
            assert f'data-id="{report_id}"' in queue
            assert content in staff.get(f"/staff/reports/{report_id}").get_data(as_text=True)
        page = staff.get(f"/staff/reports/{expected['named']}").get_data(as_text=True)
        revealed = staff.post(f"/staff/reports/{expected['named']}/identity", data={"csrf_token": csrf_token(page)},
                              follow_redirects=True)
        assert "13912345678" in revealed.get_data(as_text=True)
        for attachment_id, data in expected["photos"].items():
            assert staff.get(f"/staff/attachments/{attachment_id}").data == data
        resident = app.test_client()
        found = resident.post("/status", data={"csrf_token": csrf_from(resident, "/status"),
                                               "receipt": expected["receipt"]}).get_data(as_text=True)
        assert "已收到，正在核实。" in found and "补充：他家在三组。" in found
        named = db.session.get(Report, expected["named"])
        later, _ = submit_report(named.round.round_code, submission(content="恢复之后的新反映。"), [])
        assert later.id > max(expected["reports"])
        with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as connection:
            connection.execute(text("DELETE FROM audit_event"))  # the trail's guard came back with it
        db.engine.dispose()


def libpq(url: str) -> str:
    """The URL as pg_dump and pg_restore take it (no SQLAlchemy driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def test_pg_dump_restored_into_an_empty_database_reads_back_everything(empty_database, tmp_path):
    source = empty_database("postgresql")
    migrate(source, tmp_path)
    deployment = keys()
    expected = populate(create_app(app_config(source, tmp_path) | deployment))
    dump = tmp_path / "reporting.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", libpq(source)], check=True)
    target = empty_database("postgresql")
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={libpq(target)}", str(dump)],
                   check=True)
    assert_reads_back(create_app(app_config(target, tmp_path / "new-host") | deployment), expected)


def test_a_sqlite_backup_restored_on_a_new_host_reads_back_everything_with_the_same_keys_only(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    source = f"sqlite:///{site / 'reporting.sqlite'}"
    migrate(source, tmp_path)
    deployment = keys()
    app = create_app(app_config(source, tmp_path) | deployment)
    expected = populate(app)
    out = tmp_path / "backup.sqlite"
    result = app.test_cli_runner().invoke(args=["backup", str(out)])
    assert result.exit_code == 0 and f"database: {out}" in result.output
    assert "REPORTING_DATA_KEY" in result.output and out.stat().st_mode & 0o077 == 0
    new_host = tmp_path / "new-host"
    new_host.mkdir()
    shutil.copy(out, new_host / "reporting.sqlite")
    restored = f"sqlite:///{new_host / 'reporting.sqlite'}"
    assert_reads_back(create_app(app_config(restored, new_host) | deployment), expected)
    with create_app(app_config(restored, new_host) | keys()).app_context():  # the file without its keys
        assert find_by_receipt(expected["receipt"]) is None
        named = db.session.get(Report, expected["named"])
        with pytest.raises(SealedUnderAnotherKey):
            decrypt_identity(named.id, named.identity_ciphertext)
        db.engine.dispose()


def test_the_backup_command_writes_over_no_file_and_sends_postgresql_to_pg_dump(runner, tmp_path):
    out = tmp_path / "existing.sqlite"
    out.write_bytes(b"kept")
    result = runner.invoke(args=["backup", str(out)])
    said = "pg_dump" if db.engine.dialect.name == "postgresql" else "已存在"
    assert result.exit_code == 1 and said in result.output and out.read_bytes() == b"kept"
