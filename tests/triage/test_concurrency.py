"""Staff acting at the same moment, on real PostgreSQL: each in its own thread, session and transaction.

These tests need committed data that other connections see, so they use a database of their own
instead of the rolled-back `app` fixture.
"""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text

from reporting import create_app, tally
from reporting.extensions import db
from reporting.models import AuditEvent, Report, Round, StaffUser
from reporting.triage import services
from reporting.triage.rules import InvalidTransition
from reporting.triage.services import apply_action
from tests.conftest import app_config, migrate
from tests.factories import make_staff, tallied
from tests.triage.conftest import counted_tally, kept_tally, new_report, two_team_round

WAIT = 10  # seconds a thread waits for the other before the test fails instead of hanging


@pytest.fixture(scope="module")
def postgres_app(empty_database, tmp_path_factory):
    url = empty_database("postgresql")  # skips without TEST_DATABASE_URL
    migrate(url, tmp_path_factory.mktemp("migrate"))
    app = create_app(app_config(url, tmp_path_factory.mktemp("app")))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def setting(postgres_app):
    """A committed round with two reports of team 1 and two leaders of it; ids, for the threads to load."""
    with postgres_app.app_context():
        round_ = two_team_round()
        team = round_.teams[0]
        reports = [new_report(round_, round_.units[0], content=f"同时处理的第{n}件") for n in (1, 2)]
        leaders = [make_staff("leader", [team]) for _ in (1, 2)]
        ids = round_.id, [report.id for report in reports], [leader.id for leader in leaders]
        db.session.remove()
    return ids


def run_together(app, *calls):
    """Run each (report id, user id, action, fields) in its own thread and app context; results or errors."""
    start = threading.Barrier(len(calls), timeout=WAIT)

    def run(report_id, user_id, action, fields):
        with app.app_context():
            try:
                report, user = db.session.get(Report, report_id), db.session.get(StaffUser, user_id)
                start.wait()
                apply_action(report, user, action, fields)
                return report.status, report.clue_number
            except InvalidTransition as refused:
                return refused
            finally:
                db.session.remove()

    with ThreadPoolExecutor(len(calls)) as pool:
        return [future.result(timeout=WAIT) for future in [pool.submit(run, *call) for call in calls]]


def test_two_clues_given_at_the_same_moment_get_distinct_numbers(postgres_app, setting, monkeypatch):
    """Both threads count the same next number; the unique constraint refuses one, which counts again."""
    round_id, (first, second), (leader1, leader2) = setting
    counted, counting = [], services.next_clue_number
    both_counted = threading.Barrier(2, timeout=WAIT)

    def count_together(*args):
        number = counting(*args)
        counted.append(number)
        if len(counted) <= 2:
            both_counted.wait()  # neither writes its number before both have counted
        return number

    monkeypatch.setattr(services, "next_clue_number", count_together)
    fields = {"summary": "s", "disposal": "初步核实"}
    results = run_together(postgres_app, (first, leader1, "clue", fields), (second, leader2, "clue", fields))

    with postgres_app.app_context():
        year = db.session.get(Report, first).round.starts_on.year
        assert sorted(number for _status, number in results) == [f"{year}-0001", f"{year}-0002"]
        assert counted == [f"{year}-0001", f"{year}-0001", f"{year}-0002"]  # one collision, one retry
        assert kept_tally(round_id) == counted_tally(round_id)
        db.session.remove()


def test_of_two_leaders_deciding_one_report_at_once_the_second_is_refused(postgres_app, setting, monkeypatch):
    """The first holds the row lock while it works; the second reads the report only after it commits."""
    round_id, (report_id, _), (leader1, leader2) = setting
    cleaning, holding = services.clean_fields, threading.Event()

    def slow_clean(*args):
        if not holding.is_set():
            holding.set()
            threading.Event().wait(0.3)  # the other thread reaches the lock meanwhile
        return cleaning(*args)

    monkeypatch.setattr(services, "clean_fields", slow_clean)
    results = run_together(postgres_app, (report_id, leader1, "file", {"reason": "已了结"}),
                           (report_id, leader2, "out_of_scope", {"reason": "r", "advice": "a"}))

    assert sum(isinstance(result, InvalidTransition) for result in results) == 1
    with postgres_app.app_context():
        assert kept_tally(round_id) == counted_tally(round_id)
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.report_id == report_id)) == 1
        db.session.remove()


def test_a_submission_does_not_wait_for_another_to_the_same_team(postgres_app, setting):
    """The first holds its transaction open after counting its report; the second, on another shard, goes on
    at once (a one-second lock timeout would refuse it if it waited) and both counts add up."""
    round_id, _reports, _leaders = setting
    with postgres_app.app_context():
        team_id = db.session.get(Round, round_id).teams[0].id
        db.session.remove()
    first_counted, second_done = threading.Event(), threading.Event()

    def first():
        with postgres_app.app_context():
            tally.count(round_id, team_id, "received", +1, shard=3)
            db.session.flush()
            first_counted.set()
            second_done.wait(WAIT)
            db.session.commit()
            db.session.remove()

    def second():
        with postgres_app.app_context():
            first_counted.wait(WAIT)
            db.session.execute(text("SET LOCAL lock_timeout = '1s'"))
            tally.count(round_id, team_id, "received", +1, shard=4)
            db.session.commit()
            second_done.set()
            db.session.remove()

    with ThreadPoolExecutor(2) as pool:
        for future in [pool.submit(first), pool.submit(second)]:
            future.result(timeout=WAIT)
    with postgres_app.app_context():
        assert tallied(round_id, team_id, "received") == 2 + 2  # the two reports of `setting`, and these
        db.session.remove()
