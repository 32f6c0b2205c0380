"""Migration 0010 maps free-text transfer bodies onto the default list and gives them back on the way down."""
import flask_migrate
from sqlalchemy import text

from reporting import create_app
from reporting.extensions import db
from tests.conftest import app_config

TYPED = {1: "纪检监察机关", 2: "县纪委监委", 3: "区委组织部", 4: "县自然资源局"}
MAPPED = {1: ("纪检监察机关", ""), 2: ("纪检监察机关", "县纪委监委"), 3: ("组织部门", "区委组织部"),
          4: ("其他", "县自然资源局")}


def test_free_text_bodies_are_mapped_up_and_given_back_down(backend, empty_database, tmp_path):
    app = create_app(app_config(empty_database(backend), tmp_path))
    with app.app_context():
        flask_migrate.upgrade(revision="0010-1")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO round (id, name, level, starts_on, ends_on, timezone, intake_hours, phone, postal_box,"
                " email, notice, categories, status, created_at) VALUES (1, 'r', '', '2026-01-01', '2026-02-01',"
                " 'Asia/Shanghai', '', '', '', '', '', '[]', 'open', '2026-01-01 00:00:00')"))
            for report_id, body in TYPED.items():
                connection.execute(text(
                    "INSERT INTO report (id, round_id, channel, category, subject_name, subject_unit, subject_position,"
                    " content, status, is_anonymous, received_on, created_at, transfer_body, transfer_reference,"
                    " transfer_answer, clue_summary, clue_disposal, closing_reason, public_advice, subject_key,"
                    " transferred_on) VALUES (:id, 1, 'web', '', '', '', '', 'x', 'transferred', true, '2026-01-02',"
                    " '2026-01-02 00:00:00', :body, '', '', '', '', '', '', '', '2026-01-03')"),
                    {"id": report_id, "body": body})
        flask_migrate.upgrade(revision="0010")
        with db.engine.begin() as connection:
            rows = connection.execute(text("SELECT id, transfer_body, transfer_body_name FROM report ORDER BY id"))
            assert {row[0]: (row[1], row[2]) for row in rows} == MAPPED
            connection.execute(text("UPDATE report SET status = 'concluded' WHERE id = 4"))  # an outcome concluded it
        flask_migrate.downgrade(revision="0010-1")
        with db.engine.connect() as connection:
            rows = connection.execute(text("SELECT id, transfer_body, status FROM report ORDER BY id")).all()
            assert {row[0]: row[1] for row in rows} == TYPED
            assert {row[2] for row in rows} == {"transferred"}
            tally = connection.execute(text("SELECT status, sum(count) FROM report_tally GROUP BY status")).all()
            assert [(status, int(count)) for status, count in tally] == [("transferred", 4)]
        db.engine.dispose()
