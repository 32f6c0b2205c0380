"""Jobs run by a thread of the site (no Redis), followed through HTTP as staff follow them: the page reloads
itself while the job runs, then offers the file; a failure is a plain page and a logged trace; a job is its
owner's alone; a job lost or never started says so instead of reloading for ever."""
import io
import threading
import tracemalloc
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from reporting.extensions import db
from reporting.jobs import services
from reporting.jobs.registry import Result, job_kind
from reporting.jobs.services import start
from reporting.models import Job, JobChunk, utcnow
from tests.factories import log_in, make_round, make_staff
from tests.jobs.conftest import job_id_of, state, wait_for_end
from tests.queue.conftest import file_report

GATE = threading.Event()
SECRET_DETAIL = "connection string postgres://x:hunter2@db"


@job_kind("test-gated", "gated")
def gated(_params, _user) -> Result:
    """Bytes only once the test opens the gate: the job is seen running meanwhile."""

    def chunks():
        assert GATE.wait(30)
        yield from (b"0123456", b"789abcdefghij", b"klmnopqrstuvwxy")

    return Result("gated.txt", "text/plain", chunks())


@job_kind("test-failing", "failing")
def failing(_params, _user) -> Result:
    def chunks():
        yield b"x" * 40
        raise RuntimeError(SECRET_DETAIL)

    return Result("failing.txt", "text/plain", chunks())


def staff_client(app, user):
    client = app.test_client()
    log_in(client, user)
    return client


def started(app, kind: str, user) -> int:
    with app.test_request_context():
        return start(kind, user, {}).id


@pytest.mark.app_config(EXPORT_JOB_ROWS=2)
def test_a_large_ledger_is_made_by_a_job_whose_page_offers_a_valid_workbook(live_app):
    round_ = make_round(name="线程导出巡察")
    contents = ["甲反映一", "乙反映二", "丙反映三"]
    for content in contents:
        file_report(round_, content=content)
    admin = make_staff("admin")
    client = staff_client(live_app, admin)

    job_id = job_id_of(client.get(f"/staff/export.xlsx?round={round_.id}"))
    page = wait_for_end(client, job_id)
    assert state(page) == "done" and '<meta http-equiv="refresh"' not in page
    assert f'href="/staff/jobs/{job_id}/download"' in page
    download = client.get(f"/staff/jobs/{job_id}/download", buffered=True)
    assert download.status_code == 200 and download.mimetype.endswith("spreadsheetml.sheet")
    assert download.headers["Content-Disposition"].startswith('attachment; filename="ledger-')
    workbook = load_workbook(io.BytesIO(download.data), read_only=True)
    cells = {str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row}
    assert set(contents) <= cells
    assert int(download.headers["Content-Length"]) == len(download.data) == db.session.get(Job, job_id).size


@pytest.mark.app_config(EXPORT_JOB_ROWS=2)
def test_a_ledger_within_the_threshold_is_answered_at_once(live_app):
    round_ = make_round(name="小导出巡察")
    file_report(round_, content="只有一件")
    response = staff_client(live_app, make_staff("admin")).get(f"/staff/export.csv?round={round_.id}", buffered=True)
    assert response.status_code == 200 and "只有一件" in response.data.decode("utf-8-sig")


def test_the_page_reloads_itself_while_running_and_the_file_comes_in_pieces(live_app, monkeypatch):
    monkeypatch.setattr(services, "CHUNK_BYTES", 10)
    owner = make_staff("member")
    client = staff_client(live_app, owner)
    GATE.clear()
    job_id = started(live_app, "test-gated", owner)
    for _ in range(200):
        page = client.get(f"/staff/jobs/{job_id}").get_data(as_text=True)
        if state(page) == "running":
            break
    assert state(page) == "running" and '<meta http-equiv="refresh" content="3">' in page
    assert "<script" not in page
    GATE.set()
    assert state(wait_for_end(client, job_id)) == "done"
    download = client.get(f"/staff/jobs/{job_id}/download", buffered=True)
    assert download.data == b"0123456789abcdefghijklmnopqrstuvwxy"
    sizes = db.session.scalars(select(func.length(JobChunk.data)).where(JobChunk.job_id == job_id)
                               .order_by(JobChunk.position)).all()
    assert sizes == [10, 10, 10, 5]


def test_a_failing_job_shows_a_plain_page_and_logs_its_trace(live_app, caplog):
    owner = make_staff("member")
    client = staff_client(live_app, owner)
    job_id = started(live_app, "test-failing", owner)
    page = wait_for_end(client, job_id)
    assert state(page) == "failed" and '<meta http-equiv="refresh"' not in page
    assert "出错" in page and SECRET_DETAIL not in page and "Traceback" not in page
    assert f"/staff/jobs/{job_id}/download" not in page
    assert client.get(f"/staff/jobs/{job_id}/download").status_code == 404
    logged = [record for record in caplog.records if record.getMessage() == f"job {job_id} failed"]
    assert logged and SECRET_DETAIL in str(logged[0].exc_info[1])
    assert db.session.scalar(select(func.count()).select_from(JobChunk).where(JobChunk.job_id == job_id)) == 0


def test_a_job_is_its_owners_alone(live_app):
    owner, other = make_staff("admin"), make_staff("admin")
    GATE.set()
    job_id = started(live_app, "test-gated", owner)
    assert state(wait_for_end(staff_client(live_app, owner), job_id)) == "done"
    stranger = staff_client(live_app, other)
    assert stranger.get(f"/staff/jobs/{job_id}").status_code == 404
    assert stranger.get(f"/staff/jobs/{job_id}/download").status_code == 404
    assert stranger.get("/staff/jobs/99999").status_code == 404
    anonymous = live_app.test_client().get(f"/staff/jobs/{job_id}")
    assert anonymous.status_code == 302 and "/staff/login" in anonymous.headers["Location"]


def test_a_job_no_runner_took_in_time_says_so_and_is_never_started_later(live_app):
    owner = make_staff("member")
    job = Job(kind="test-gated", params={}, owner_id=owner.id, locale="en", created_at=utcnow() - timedelta(hours=2))
    db.session.add(job)
    db.session.commit()
    page = staff_client(live_app, owner).get(f"/staff/jobs/{job.id}?lang=en").get_data(as_text=True)
    assert state(page) == "failed" and "No worker took the job within an hour" in page
    services.run(job.id)
    db.session.refresh(job)
    assert (job.status, job.failure, job.started_at) == ("failed", "not_started", None)


def test_a_job_left_running_by_a_dead_process_is_shown_interrupted(live_app):
    owner = make_staff("member")
    job = Job(kind="test-gated", params={}, owner_id=owner.id, locale="en", status="running",
              started_at=utcnow() - timedelta(hours=2))
    db.session.add(job)
    db.session.commit()
    page = staff_client(live_app, owner).get(f"/staff/jobs/{job.id}?lang=en").get_data(as_text=True)
    assert state(page) == "failed" and "stopped before it finished" in page
    assert '<meta http-equiv="refresh"' not in page


def test_purge_removes_old_jobs_with_their_files_and_keeps_recent_ones(live_app):
    owner = make_staff("member")
    old = Job(kind="test-gated", params={}, owner_id=owner.id, locale="en", status="done",
              created_at=utcnow() - timedelta(days=8))
    recent = Job(kind="test-gated", params={}, owner_id=owner.id, locale="en", status="done",
                 created_at=utcnow() - timedelta(days=6))
    db.session.add_all([old, recent])
    db.session.flush()
    db.session.add_all([JobChunk(job_id=job.id, position=0, data=b"file") for job in (old, recent)])
    db.session.commit()
    old_id, recent_id = old.id, recent.id
    result = live_app.test_cli_runner().invoke(args=["jobs", "purge", "--days", "7"])
    assert result.exit_code == 0 and "jobs removed" in result.output
    db.session.expire_all()
    assert db.session.get(Job, old_id) is None and db.session.get(Job, recent_id) is not None
    chunks = db.session.scalars(select(JobChunk.job_id)).all()
    assert old_id not in chunks and recent_id in chunks


@pytest.mark.app_config(REDIS_URL="redis://127.0.0.1:1/0", EXPORT_JOB_ROWS=0)
def test_with_redis_unreachable_the_job_runs_in_a_thread_of_the_site(live_app, caplog):
    round_ = make_round(name="无队列导出巡察")
    file_report(round_, content="队列不通时的反映")
    client = staff_client(live_app, make_staff("admin"))
    job_id = job_id_of(client.get(f"/staff/export.csv?round={round_.id}"))
    assert state(wait_for_end(client, job_id)) == "done"
    assert "队列不通时的反映" in client.get(f"/staff/jobs/{job_id}/download", buffered=True).data.decode("utf-8-sig")
    assert f"Redis unreachable: job {job_id} runs in a thread" in caplog.text


def test_a_large_result_is_stored_without_sitting_in_memory(live_app):
    """20 MB arrive in 64 KB pieces; what the runner holds at once is a few chunks of 1 MB, not the file."""
    owner = make_staff("member")
    job = Job(kind="test-gated", params={}, owner_id=owner.id, locale="en")
    db.session.add(job)
    db.session.commit()
    piece = bytes(range(256)) * 256
    tracemalloc.start()
    try:
        size = services.store(job.id, (piece for _ in range(320)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size == 20 * 1024 * 1024 and peak < 5 * 1024 * 1024
    count = db.session.scalar(select(func.count()).select_from(JobChunk).where(JobChunk.job_id == job.id))
    assert count == 20
