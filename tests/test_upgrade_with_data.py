"""`db upgrade` of a database that holds data, on SQLite and PostgreSQL, read back through the app.

Each revision is seeded, right after it is applied, with the data it introduces; then the database is
upgraded to head and every report, message, attachment, identity and audit row is read through the
pages staff use. A new migration must add its seed to SEEDS: the test fails for a revision without one.
"""
import io
import shutil
from datetime import date
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from PIL import Image
from sqlalchemy import inspect, text

from reporting import create_app
from reporting.extensions import db
from reporting.models import MAX_ATTACHMENT_BYTES, Round, StaffUser
from reporting.security import encrypt_identity, hash_password, receipt_digest
from tests.conftest import IsolatedClient, app_config
from tests.factories import csrf_token, log_in

RECEIPT = "ABCD-EFGH-JKMN-PQRS"
SCAN = b"%PDF-1.4\n%%EOF\n"
JSON_COLUMNS = {"categories", "detail", "proposal", "params"}
CHANNEL_CONTENT = {
    "web": "村里的低保名额被村干部的亲戚占了。",
    "letter": "来信反映镇里工程款拖欠。",
    "visit": "来访反映学校食堂收费问题。",
    "call": "来电反映卫生院收红包。",
    "email": "邮件反映单位公车私用。",
}


def insert(connection, table: str, *rows: dict) -> None:
    """Plain INSERTs by column name: the models describe head, not the revision being seeded."""
    columns = [sa.column(name, sa.JSON if name in JSON_COLUMNS else None) for name in rows[0]]
    connection.execute(sa.table(table, *columns).insert(), list(rows))
    if connection.dialect.name == "postgresql" and "id" in rows[0]:  # as if the app had drawn the ids
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))


def jpeg(shade: int = 0) -> bytes:
    """A small photo; each `shade` its own bytes, so that no photo can be mistaken for another."""
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (10 * shade, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def seed_0001(connection, upload_dir) -> None:
    """A round of two teams, staff, reports of every channel (one anonymous, one named), messages, photos."""
    insert(connection, "round", {
        "id": 1, "name": "升级测试巡察", "level": "county", "starts_on": date(2026, 1, 1),
        "ends_on": date(2099, 1, 1), "timezone": "Asia/Shanghai", "intake_hours": "", "phone": "0971-1234567",
        "postal_box": "", "email": "", "notice": "<p>受理范围</p>", "categories": ["廉洁纪律", "其他"],
        "status": "open", "created_at": "2026-01-01 00:00:00"})
    insert(connection, "team", {"id": 1, "round_id": 1, "name": "第一组", "position": 0},
           {"id": 2, "round_id": 1, "name": "第二组", "position": 1})
    insert(connection, "unit", {"id": 1, "round_id": 1, "team_id": 1, "name": "甲单位", "position": 0},
           {"id": 2, "round_id": 1, "team_id": 2, "name": "乙单位", "position": 1})
    insert(connection, "qr_code", {
        "id": 1, "token": "upgrade-token", "round_id": 1, "team_id": None, "unit_id": None, "label": "",
        "is_round_code": True, "scan_count": 3, "revoked_at": None, "created_at": "2026-01-01 00:00:00"})
    insert(connection, "staff_user", *({
        "id": user_id, "username": name, "password_hash": hash_password("old password"), "role": role,
        "active": True, "created_at": "2026-01-01 00:00:00"} for user_id, name, role in (
            (1, "admin", "admin"), (2, "member1", "member"))))
    insert(connection, "staff_team", {"staff_user_id": 2, "team_id": 1})
    reports = []
    for report_id, channel in enumerate(CHANNEL_CONTENT, start=1):
        web = channel == "web"
        reports.append({
            "id": report_id, "round_id": 1, "team_id": None if web else 1, "unit_id": None,
            "qr_code_id": 1 if web else None, "channel": channel, "category": "廉洁纪律", "subject_name": "",
            "subject_unit": "", "subject_position": "", "content": CHANNEL_CONTENT[channel], "status": "received",
            "is_anonymous": True, "identity_ciphertext": None,
            "receipt_digest": receipt_digest(RECEIPT) if web else None,
            "received_on": date(2026, 1, 2), "created_at": "2026-01-02 08:00:00"})
    identity = encrypt_identity(6, {"name": "王小明", "phone": "13800001234"})
    reports.append(reports[0] | {"id": 6, "team_id": 1, "unit_id": 1, "is_anonymous": False, "receipt_digest": None,
                                 "content": "实名反映：村支书挪用扶贫款。", "identity_ciphertext": identity})
    insert(connection, "report", *reports)
    insert(connection, "message",
           {"id": 1, "report_id": 1, "kind": "reporter", "author_id": None, "body": "补充：他家在三组。",
            "created_at": "2026-01-03 08:00:00"},
           {"id": 2, "report_id": 6, "kind": "note", "author_id": 2, "body": "组内备注：先核实。",
            "created_at": "2026-01-03 09:30:00"})
    # Inserted at 08:00, coarsened by 0007; the third one's file is already lost from disk.
    for attachment_id, report_id, message_id in ((1, 1, None), (2, 1, 1), (3, 1, None)):
        name = f"upgrade-{attachment_id}.jpg"
        if attachment_id != 3:
            (upload_dir / name).write_bytes(jpeg(attachment_id))
        insert(connection, "attachment", {
            "id": attachment_id, "report_id": report_id, "message_id": message_id, "stored_name": name,
            "content_type": "image/jpeg", "size": len(jpeg(attachment_id)), "width": 30, "height": 20,
            "created_at": "2026-01-03 08:00:00"})
    insert(connection, "audit_event", {"id": 1, "at": "2026-01-03 00:00:00", "actor_id": 2, "action": "report.viewed",
                                       "report_id": 6, "round_id": 1, "detail": {}})


def seed_0002(connection, _upload_dir) -> None:
    """Triage outcomes (a clue, a transfer with its answer), read marks, a proposal and its audit rows."""
    connection.execute(text(
        "UPDATE report SET status = 'clue', clue_number = 'XC-2026-001', clue_summary = '挪用扶贫款',"
        " clue_disposal = '初步核实' WHERE id = 6"))
    connection.execute(text(
        "UPDATE report SET status = 'transferred', transfer_body = '县纪委监委',"
        " transfer_reference = '转字〔2026〕1号',"
        " transferred_on = '2026-01-05', transfer_due_on = '2026-02-05', transfer_answer = '已立案',"
        " transfer_answered_on = '2026-01-20' WHERE id = 2"))
    # A body named in no list (0010 keeps it as 其他 with this name), its answer long overdue.
    connection.execute(text(
        "UPDATE report SET status = 'transferred', transfer_body = '县自然资源局', transferred_on = '2026-01-05',"
        " transfer_due_on = '2026-01-20' WHERE id = 5"))
    insert(connection, "report_read", {"staff_user_id": 2, "report_id": 6, "read_at": "2026-01-04 00:00:00"})
    insert(connection, "audit_event",
           {"id": 2, "at": "2026-01-05 00:00:00", "actor_id": 1, "action": "triage.transfer", "report_id": 2,
            "round_id": 1, "detail": {"body": "县纪委监委"}},
           {"id": 3, "at": "2026-01-05 00:00:00", "actor_id": 1, "action": "identity.revealed", "report_id": 6,
            "round_id": 1, "detail": {}},
           {"id": 4, "at": "2026-01-05 00:00:00", "actor_id": 2, "action": "triage.clue", "report_id": 3,
            "round_id": 1, "detail": {"proposal": True, "summary": "食堂收费", "disposal": "初步核实"}},
           {"id": 5, "at": "2026-01-06 00:00:00", "actor_id": 1, "action": "triage.return", "report_id": 3,
            "round_id": 1, "detail": {"proposed_action": "clue", "proposed_by": 2, "note": "证据不足，先补充材料。"}})
    # A proposal the leader returned is cleared to JSON null, as the app leaves it (not SQL NULL).
    null = "CAST('null' AS JSON)" if connection.dialect.name == "postgresql" else "'null'"
    connection.execute(text(f"UPDATE report SET proposal = {null} WHERE id = 3"))
    # What the app does with every status change: keep the tally in step.
    connection.execute(text("DELETE FROM report_tally"))
    connection.execute(text(
        "INSERT INTO report_tally (round_id, team_key, status, count) SELECT round_id, COALESCE(team_id, 0),"
        " status, count(*) FROM report GROUP BY round_id, COALESCE(team_id, 0), status"))


def seed_0004(connection, _upload_dir) -> None:
    connection.execute(text("UPDATE staff_user SET session_epoch = 2 WHERE id = 2"))


def seed_0005(connection, _upload_dir) -> None:
    """A second round with one team and a default team; the first round keeps none (its web report waits)."""
    insert(connection, "round", {
        "id": 2, "name": "一个组的巡察", "level": "county", "starts_on": date(2026, 1, 1), "ends_on": date(2099, 1, 1),
        "timezone": "Asia/Shanghai", "intake_hours": "", "phone": "", "postal_box": "", "email": "", "notice": "",
        "categories": [], "status": "open", "created_at": "2026-01-01 00:00:00", "default_team_id": None})
    insert(connection, "team", {"id": 3, "round_id": 2, "name": "唯一组", "position": 0})
    connection.execute(text("UPDATE round SET default_team_id = 3 WHERE id = 2"))


def seed_0006(connection, _upload_dir) -> None:
    connection.execute(text("UPDATE report SET proposal_returned = true WHERE id = 4"))


def seed_0007(connection, _upload_dir) -> None:
    """A throttled account and a TOTP step taken: the login facts the review asked for."""
    connection.execute(text("UPDATE staff_user SET failed_logins = 3, last_failed_login_at = '2026-01-07 00:00:00',"
                            " totp_last_step = 12345 WHERE id = 2"))


def seed_0008(connection, _upload_dir) -> None:
    """A count spread over shards, as concurrent submissions leave it: one more and one less on other shards."""
    insert(connection, "report_tally", {"round_id": 1, "team_key": 1, "status": "clue", "shard": 5, "count": 1},
           {"round_id": 1, "team_key": 1, "status": "clue", "shard": 9, "count": -1})


def seed_0009(connection, _upload_dir) -> None:
    """A photo added to the named report's note as the app now keeps it: its bytes in the database."""
    insert(connection, "attachment", {
        "id": 4, "report_id": 6, "message_id": 2, "content_type": "image/jpeg", "size": len(jpeg(4)), "width": 30,
        "height": 20, "created_at": "2026-01-08 10:00:00"})
    insert(connection, "attachment_blob", {"attachment_id": 4, "data": jpeg(4)})


def seed_0010(connection, _upload_dir) -> None:
    """The follow-through: the concluded outcome of report 2's transfer (its tally moved), a 督办函 chasing
    report 5's, a rank on report 6, and a round's own list of bodies."""
    insert(connection, "outcome", {
        "id": 1, "report_id": 2, "kind": "transfer", "concluded_on": date(2026, 2, 1), "cases": 1, "persons": 2,
        "detained": 0, "disciplined": 2, "organisational": 1, "admonished": 3, "money_yuan": 125_000,
        "recorded_by_id": 1, "recorded_at": "2026-02-02 00:00:00"})
    connection.execute(text("UPDATE report SET status = 'concluded' WHERE id = 2"))
    insert(connection, "report_tally", {"round_id": 1, "team_key": 1, "status": "transferred", "shard": 3, "count": -1},
           {"round_id": 1, "team_key": 1, "status": "concluded", "shard": 3, "count": 1})
    insert(connection, "reminder", {"id": 1, "report_id": 5, "kind": "supervision", "sent_on": date(2026, 1, 25),
                                    "reference": "督〔2026〕1号", "recorded_by_id": 1,
                                    "created_at": "2026-01-25 00:00:00"})
    connection.execute(text("UPDATE report SET subject_rank = '乡科级' WHERE id = 6"))
    connection.execute(sa.table("round", sa.column("id"), sa.column("receiving_bodies", sa.JSON)).update()
                       .where(sa.column("id") == 2).values(receiving_bodies=["纪检监察机关", "县自然资源局"]))


def seed_0011(connection, _upload_dir) -> None:
    """A finished export job of the admin, its file kept in two pieces."""
    insert(connection, "job", {
        "id": 1, "kind": "export", "params": {"filters": {}, "format": "csv"}, "owner_id": 1, "locale": "zh_Hans",
        "status": "done", "created_at": "2026-02-03 08:00:00", "started_at": "2026-02-03 08:00:01",
        "finished_at": "2026-02-03 08:00:09", "filename": "台账.csv", "media_type": "text/csv; charset=utf-8",
        "size": len(JOB_FILE), "failure": ""})
    insert(connection, "job_chunk", {"job_id": 1, "position": 0, "data": JOB_FILE[:5]},
           {"job_id": 1, "position": 1, "data": JOB_FILE[5:]})


def seed_0012(connection, _upload_dir) -> None:
    """Linked rounds and satisfaction: round 2 is a 回头看 of round 1; the concluded report 2 is rated."""
    connection.execute(text("UPDATE round SET parent_id = 1, is_revisit = true WHERE id = 2"))
    insert(connection, "satisfaction", {"id": 1, "report_id": 2, "rating": "basically", "comment": "基本满意，谢谢。",
                                        "created_at": "2026-02-03 00:00:00"})


def seed_0013(connection, _upload_dir) -> None:
    """The second round closed and handed over: read-only from then on."""
    connection.execute(text("UPDATE round SET status = 'closed', handed_over_at = '2026-03-01 08:00:00' WHERE id = 2"))


def seed_0014(connection, _upload_dir) -> None:
    """A location code of round 1 revoked with its reason."""
    insert(connection, "qr_code", {
        "id": 90, "token": "revoked-token", "round_id": 1, "team_id": None, "unit_id": None, "label": "车站",
        "is_round_code": False, "scan_count": 0, "revoked_at": "2026-02-04 08:00:00", "revoked_reason": "海报被撕毁",
        "created_at": "2026-02-01 00:00:00"})


def seed_0015(connection, _upload_dir) -> None:
    """Round 1 also speaks Tibetan."""
    connection.execute(text("""UPDATE round SET languages = '["bo"]' WHERE id = 1"""))


def seed_0017(connection, _upload_dir) -> None:
    """The visit (report 3) came with six people, received by 李接待; a letter's PDF scan joins report 4."""
    connection.execute(text("UPDATE report SET visitors = 6, receiving_officer = '李接待' WHERE id = 3"))
    insert(connection, "attachment", {
        "id": 5, "report_id": 4, "message_id": None, "content_type": "application/pdf", "size": len(SCAN),
        "width": None, "height": None, "created_at": "2026-02-05 08:00:00"})
    insert(connection, "attachment_blob", {"attachment_id": 5, "data": SCAN})


def seed_0019(connection, _upload_dir) -> None:
    """member1 has a 姓名; admin has none and is still named by the user name."""
    connection.execute(text("UPDATE staff_user SET display_name = '赵敏' WHERE id = 2"))


def seed_0018(connection, _upload_dir) -> None:
    """Round 1's replies need a leader's approval; member1's reply on report 6 waits for one."""
    connection.execute(text("UPDATE round SET replies_need_approval = true WHERE id = 1"))
    insert(connection, "message", {"id": 3, "report_id": 6, "kind": "reply", "author_id": 2,
                                   "body": "草稿：已转县纪委监委办理。", "created_at": "2026-01-05 09:00:00",
                                   "review": "waiting", "reviewed_by_id": None, "reviewed_at": None,
                                   "review_note": ""})


def seed_0020(connection, _upload_dir) -> None:
    """Round 1's name and notice in Tibetan."""
    connection.execute(text("UPDATE round SET translations = :texts WHERE id = 1"), {
        "texts": '{"bo": {"name": "ཡུལ་སྐོར་ཞིབ་བཤེར།", "notice": "<p>ལེན་པའི་ཁྱབ་ཁོངས།</p>"}}'})


JOB_FILE = "编号,受理日期\r\n1,2026-01-02\r\n".encode()
SEEDS = {"0001": seed_0001, "0002": seed_0002, "0003": None, "0004": seed_0004, "0005": seed_0005,
         "0006": seed_0006, "0007": seed_0007, "0008": seed_0008, "0009": seed_0009, "0010": seed_0010,
         "0011": seed_0011, "0012": seed_0012, "0013": seed_0013, "0014": seed_0014, "0015": seed_0015,
         "0016": None, "0017": seed_0017, "0018": seed_0018, "0019": seed_0019, "0020": seed_0020}


def revisions(app) -> list[str]:
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config(app.extensions["migrate"].directory)
    return [script.revision for script in reversed(list(ScriptDirectory.from_config(config).walk_revisions()))]


@pytest.fixture
def upgraded(backend, empty_database, tmp_path):
    """An app on a database seeded revision by revision and upgraded to head."""
    app = create_app(app_config(empty_database(backend), tmp_path) | {"WTF_CSRF_ENABLED": True})
    app.test_client_class = IsolatedClient
    upload_dir = tmp_path / "uploads"
    upload_dir.mkdir()
    with app.app_context():
        for revision in revisions(app):
            assert revision in SEEDS, f"migration {revision} has no seed of the data it introduces"
            flask_migrate.upgrade(revision=revision)
            if SEEDS[revision]:
                with db.engine.begin() as connection:
                    SEEDS[revision](connection, upload_dir)
        shutil.rmtree(upload_dir)  # 0009 moved the photos into the database: the site no longer needs the files
        yield app
        db.session.remove()
        db.engine.dispose()


def test_an_upgraded_database_reads_back_through_the_app(upgraded):
    client = upgraded.test_client()
    log_in(client, db.session.get(StaffUser, 1))
    queue = client.get("/staff/").get_data(as_text=True)
    for report_id in range(1, 7):
        assert f'data-id="{report_id}"' in queue
    for report_id, content in enumerate(CHANNEL_CONTENT.values(), start=1):
        assert content in client.get(f"/staff/reports/{report_id}").get_data(as_text=True)
    page = client.get("/staff/reports/6").get_data(as_text=True)
    assert "组内备注：先核实。" in page and "XC-2026-001" in page
    assert "内部备注（仅工作人员可见） · 赵敏 ·" in page  # the note's author by the 姓名 0019 gave
    revealed = client.post("/staff/reports/6/identity", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "13800001234" in revealed.get_data(as_text=True)
    assert "已立案" in client.get("/staff/reports/2").get_data(as_text=True)
    for attachment_id in (1, 2, 4):
        photo = client.get(f"/staff/attachments/{attachment_id}")
        assert (photo.status_code, photo.mimetype, photo.data) == (200, "image/jpeg", jpeg(attachment_id))
    lost = client.get("/staff/attachments/3")
    assert lost.status_code == 404 and "服务器上找不到这个文件" in lost.get_data(as_text=True)
    assert "附件 3：服务器上找不到这个文件" in client.get("/staff/reports/1").get_data(as_text=True)
    audit_page = client.get("/admin/audit").get_data(as_text=True)
    for action in ("report.viewed", "triage.transfer", "identity.revealed"):
        assert f"<code>{action}</code>" in audit_page


def test_an_upgraded_database_maps_transfer_bodies_and_reads_the_follow_through(upgraded):
    client = upgraded.test_client()
    log_in(client, db.session.get(StaffUser, 1))
    with db.engine.connect() as connection:
        bodies = connection.execute(text("SELECT id, transfer_body, transfer_body_name FROM report"
                                         " WHERE transfer_body <> '' ORDER BY id")).all()
        assert [tuple(row) for row in bodies] == [(2, "纪检监察机关", "县纪委监委"), (5, "其他", "县自然资源局")]
        round_table = sa.table("round", sa.column("id"), sa.column("receiving_bodies", sa.JSON),
                               sa.column("rank_bodies", sa.JSON))
        bodies, ranks = connection.execute(sa.select(round_table.c.receiving_bodies, round_table.c.rank_bodies)
                                           .where(round_table.c.id == 1)).one()
    assert bodies[:2] == ["纪检监察机关", "组织部门"] and ranks["县处级"] == "组织部门"
    concluded = client.get("/staff/reports/2").get_data(as_text=True)
    for shown in ("县纪委监委（纪检监察机关）", "12.5 万元", "已办结（已记录处理结果）"):
        assert shown in concluded
    overdue = client.get("/staff/transfers/overdue").get_data(as_text=True)
    assert 'data-id="5"' in overdue and '<td class="reminders">1</td>' in overdue and 'data-id="2"' not in overdue
    assert '<dd id="rank">乡科级</dd>' in client.get("/staff/reports/6").get_data(as_text=True)
    assert "纪检监察机关\n县自然资源局</textarea>" in client.get("/admin/rounds/2").get_data(as_text=True)


def test_an_upgraded_database_serves_a_finished_job_to_its_owner_alone(upgraded):
    owner, other = upgraded.test_client(), upgraded.test_client()
    log_in(owner, db.session.get(StaffUser, 1))
    log_in(other, db.session.get(StaffUser, 2))
    download = owner.get("/staff/jobs/1/download", buffered=True)
    assert (download.status_code, download.data) == (200, JOB_FILE)
    assert "filename*=UTF-8''%E5%8F%B0%E8%B4%A6.csv" in download.headers["Content-Disposition"]
    assert other.get("/staff/jobs/1").status_code == 404


def test_an_upgraded_database_reads_linked_rounds_and_satisfaction(upgraded):
    client = upgraded.test_client()
    log_in(client, db.session.get(StaffUser, 1))
    rated = client.get("/staff/reports/2").get_data(as_text=True)
    assert '<dd id="satisfaction-rating">基本满意</dd>' in rated and "基本满意，谢谢。" in rated
    assert '<option selected value="1">' in client.get("/admin/rounds/2").get_data(as_text=True)
    linked = client.get("/staff/stats?round=1&linked=1").get_data(as_text=True)
    assert '<td class="number" id="received-total">6</td>' in linked
    assert '<td class="number" id="satisfaction-basically">1</td>' in linked


def test_a_downgrade_past_0012_drops_the_links_and_ratings_and_the_upgrade_adds_them_again(upgraded):
    flask_migrate.downgrade(revision="0011")
    with db.engine.connect() as connection:
        assert "satisfaction" not in inspect(connection).get_table_names()
        assert "parent_id" not in {column["name"] for column in inspect(connection).get_columns("round")}
        assert connection.execute(text("SELECT count(*) FROM report")).scalar() == 6
    flask_migrate.upgrade()
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT parent_id, is_revisit FROM round WHERE id = 2")).one() == (None, False)


def test_an_upgraded_database_keeps_a_handed_over_round_read_only(upgraded):
    client = upgraded.test_client()
    log_in(client, db.session.get(StaffUser, 1))
    page = client.get("/admin/rounds/2").get_data(as_text=True)
    assert 'id="read-only"' in page
    refused = client.post("/admin/rounds/2/teams", data={"csrf_token": csrf_token(page), "name": "新组"})
    assert refused.status_code == 409
    assert 'id="read-only"' not in client.get("/admin/rounds/1").get_data(as_text=True)


def test_an_upgraded_database_shows_why_a_code_was_revoked_and_undoes_it(upgraded):
    client = upgraded.test_client()
    log_in(client, db.session.get(StaffUser, 1))
    page = client.get("/admin/rounds/1").get_data(as_text=True)
    assert "海报被撕毁" in page and upgraded.test_client().get("/r/revoked-token").status_code == 410
    client.post("/admin/codes/90/restore", data={"csrf_token": csrf_token(page)})
    assert upgraded.test_client().get("/r/revoked-token").status_code == 200


def test_an_upgraded_database_shows_a_visits_fields_and_serves_a_scan_as_a_download(upgraded):
    client = upgraded.test_client()
    log_in(client, db.session.get(StaffUser, 1))
    visit = client.get("/staff/reports/3").get_data(as_text=True)
    assert '<dd id="visitors">6 · 集体访</dd>' in visit and '<dd id="receiving-officer">李接待</dd>' in visit
    assert "附件 1（PDF）" in client.get("/staff/reports/4").get_data(as_text=True)
    scan = client.get("/staff/attachments/5")
    assert (scan.data, scan.headers["Content-Disposition"]) == (SCAN, 'attachment; filename="attachment-5.pdf"')


def test_a_downgrade_past_0017_lets_the_scans_go_and_keeps_the_photos(upgraded):
    flask_migrate.downgrade(revision="0015")
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT id FROM attachment ORDER BY id")).scalars().all() == [1, 2, 3, 4]
        assert connection.execute(text("SELECT count(*) FROM attachment_blob WHERE attachment_id = 5")).scalar() == 0
    flask_migrate.upgrade()
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT visitors FROM report WHERE id = 3")).scalar() is None


def test_an_upgraded_database_keeps_the_reporter_and_the_routing(upgraded):
    resident = upgraded.test_client()
    form = resident.get("/status").get_data(as_text=True)
    status = resident.post("/status", data={"receipt": RECEIPT, "csrf_token": csrf_token(form)})
    assert "补充：他家在三组。" in status.get_data(as_text=True)
    client = upgraded.test_client()
    log_in(client, db.session.get(StaffUser, 1))
    waiting = client.get("/staff/?team=none").get_data(as_text=True)
    assert 'data-id="1"' in waiting and 'data-id="6"' not in waiting
    returned = client.get("/staff/reports/3").get_data(as_text=True)
    assert 'id="returned"' in returned and "证据不足，先补充材料。" in returned  # marked by the upgrade
    assert client.get("/staff/").get_data(as_text=True).count('class="returned-mark"') == 2
    member = upgraded.test_client()
    log_in(member, db.session.get(StaffUser, 2))
    assert member.get("/staff/reports/6").status_code == 200  # the epoch set at 0004 still logs in


def test_an_upgraded_database_keeps_its_tallies_keys_and_append_only_audit(upgraded):
    with db.engine.connect() as connection:
        tallies = dict(connection.execute(text("SELECT status, sum(count) FROM report_tally GROUP BY status")).all())
        statuses = dict(connection.execute(text("SELECT status, count(*) FROM report GROUP BY status")).all())
        assert {status: int(count) for status, count in tallies.items() if count} == statuses
        times = dict(connection.execute(text(
            "SELECT 'report ' || channel, created_at FROM report WHERE id IN (1, 2) UNION ALL"
            " SELECT 'message ' || kind, created_at FROM message UNION ALL"
            " SELECT 'attachment ' || CAST(id AS VARCHAR(10)), created_at FROM attachment")).all())
        kept_time = {name: str(stamp)[11:19] for name, stamp in times.items()}
        assert kept_time == {"report web": "00:00:00", "report letter": "08:00:00", "message reporter": "00:00:00",
                             "message note": "09:30:00", "message reply": "09:00:00", "attachment 1": "00:00:00",
                             "attachment 2": "00:00:00", "attachment 3": "00:00:00", "attachment 4": "10:00:00",
                             "attachment 5": "08:00:00"}
        if connection.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert not [name for name in inspect(connection).get_table_names() if name.startswith("_alembic")]
    for statement in ("UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            with db.engine.begin() as connection:
                connection.execute(text(statement))


def test_a_downgrade_writes_the_photos_back_to_files_and_the_upgrade_takes_them_in_again(upgraded):
    upload_dir = upgraded.config["UPLOAD_DIR"]
    flask_migrate.downgrade(revision="0008")
    with db.engine.connect() as connection:
        names = dict(connection.execute(text("SELECT id, stored_name FROM attachment")).all())
    assert sorted(names) == [1, 2, 3, 4] and len(set(names.values())) == 4
    assert {path.name for path in upload_dir.iterdir()} == {names[1], names[2], names[4]}  # 3 stays missing
    for attachment_id in (1, 2, 4):
        path = upload_dir / names[attachment_id]
        assert path.read_bytes() == jpeg(attachment_id) and path.stat().st_mode & 0o077 == 0
    flask_migrate.upgrade()
    with db.engine.connect() as connection:
        kept = dict(connection.execute(text("SELECT attachment_id, data FROM attachment_blob")).all())
    assert {attachment_id: bytes(data) for attachment_id, data in kept.items()} == {
        attachment_id: jpeg(attachment_id) for attachment_id in (1, 2, 4)}


def seeded_at_0001(tmp_path) -> Path:
    """In an app's context: its empty database migrated to 0001 and seeded; returns the seed's upload folder."""
    upload_dir = tmp_path / "uploads"
    upload_dir.mkdir()
    flask_migrate.upgrade(revision="0001")
    with db.engine.begin() as connection:
        seed_0001(connection, upload_dir)
    return upload_dir


def test_a_file_too_large_for_the_database_stops_the_upgrade_and_names_it(backend, empty_database, tmp_path, capfd):
    """Nothing is dropped quietly: the upgrade fails as a whole, naming the attachment and its file."""
    app = create_app(app_config(empty_database(backend), tmp_path))
    with app.app_context():
        upload_dir = seeded_at_0001(tmp_path)
        with open(upload_dir / "upgrade-2.jpg", "r+b") as file:
            file.truncate(MAX_ATTACHMENT_BYTES + 1)  # sparse: large on paper, nothing written
        with pytest.raises(SystemExit):
            flask_migrate.upgrade()
        said = capfd.readouterr().err
        assert "attachment 2:" in said and "upgrade-2.jpg is larger than" in said
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
        db.engine.dispose()


def test_a_failed_sqlite_upgrade_leaves_the_file_as_it_was(empty_database, tmp_path):
    """A row that breaks a foreign key makes the upgrade fail as a whole: still 0001, no half-built tables."""
    app = create_app(app_config(empty_database("sqlite"), tmp_path))
    with app.app_context():
        seeded_at_0001(tmp_path)
        with db.engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            insert(connection, "message", {"id": 9, "report_id": 999, "kind": "reporter", "author_id": None,
                                           "body": "孤儿", "created_at": "2026-01-03 00:00:00"})
        tables_before = set(inspect(db.engine).get_table_names())
        with pytest.raises(SystemExit):  # what `flask db upgrade` turns a failed migration into
            flask_migrate.upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
        assert set(inspect(db.engine).get_table_names()) == tables_before
        with db.engine.begin() as connection:
            connection.execute(text("DELETE FROM message WHERE id = 9"))
        flask_migrate.upgrade()  # once the orphan is gone, the same upgrade goes through
        db.engine.dispose()


def test_an_upgraded_database_keeps_a_rounds_languages_and_gives_the_others_none(upgraded):
    assert [(r.id, r.languages) for r in db.session.scalars(sa.select(Round).order_by(Round.id))] == [
        (1, ["bo"]), (2, [])]


def test_an_upgraded_database_keeps_its_messages_published_and_its_draft_waiting(upgraded):
    client = upgraded.test_client()
    log_in(client, db.session.get(StaffUser, 1))
    assert "待审核的回复 1 条" in client.get("/staff/").get_data(as_text=True)
    page = client.get("/staff/reports/6").get_data(as_text=True)
    assert "草稿：已转县纪委监委办理。" in page and "待组长审核" in page
    assert "组内备注：先核实。" in page
    assert [round_.replies_need_approval for round_ in db.session.scalars(sa.select(Round).order_by(Round.id))] == [
        True, False]


def test_an_upgraded_database_shows_a_rounds_own_words_in_its_language(upgraded):
    assert [(r.id, r.translations) for r in db.session.scalars(sa.select(Round).order_by(Round.id))] == [
        (1, {"bo": {"name": "ཡུལ་སྐོར་ཞིབ་བཤེར།", "notice": "<p>ལེན་པའི་ཁྱབ་ཁོངས།</p>"}}), (2, {})]
    client = upgraded.test_client()
    page = client.get("/r/upgrade-token?lang=bo").get_data(as_text=True)
    assert "<h1>ཡུལ་སྐོར་ཞིབ་བཤེར།</h1>" in page and "<p>ལེན་པའི་ཁྱབ་ཁོངས།</p>" in page
    assert "<h1>升级测试巡察</h1>" in client.get("/r/upgrade-token?lang=zh").get_data(as_text=True)
