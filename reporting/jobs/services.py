"""Starting a job, running it, and reading its result back.

A job's rows are written by whichever process runs it: the job's own session for its state, and a
connection of its own per stored piece, committed at once, so that a producer reading through a cursor is
never cut short by a commit and a long job never holds a write lock (SQLite) for its whole run.
"""
import traceback
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, cast

from flask import current_app
from flask_babel import force_locale, get_locale
from sqlalchemy import CursorResult, delete, insert, select, update
from sqlalchemy.exc import DBAPIError

from reporting.errors import redacted
from reporting.extensions import db
from reporting.jobs.registry import KINDS, JobRefused
from reporting.jobs.rules import CHUNK_BYTES, QUEUE_LIMIT, fitted_filename
from reporting.models import Job, JobChunk, StaffUser, utcnow


def start(kind: str, user: StaffUser, params: dict[str, Any]) -> Job:
    """Record the job and hand it to this site's runner; the owner follows it at `/staff/jobs/<id>`."""
    if kind not in KINDS:
        raise ValueError(f"no job kind {kind!r}")
    job = Job(kind=kind, params=params, owner_id=user.id, locale=str(get_locale() or ""))
    db.session.add(job)
    db.session.commit()
    current_app.extensions["reporting.jobs"].submit(job.id)
    return job


def owned_job(user: StaffUser, job_id: int) -> Job | None:
    """The job, for its owner only: to anyone else it does not exist."""
    job = db.session.get(Job, job_id)
    return job if job is not None and job.owner_id == user.id else None


def run(job_id: int) -> None:
    """Run one job to its end: done with its file stored, or failed with a reason its owner can read."""
    job = claim(job_id)
    if job is None:
        return
    try:
        with force_locale(job.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            result = produce(job)
            size = store(job_id, result.chunks)
    except JobRefused as refusal:
        fail(job_id, refusal.reason)
    except Exception as error:  # the edge of a job, like a 500: whatever a producer raises fails it, logged
        log_failure(job_id, error)
        fail(job_id, "error")
    else:
        finish(job_id, filename=fitted_filename(result.filename), media_type=result.media_type, size=size)


def claim(job_id: int) -> Job | None:
    """Mark the job running, if it still waits and is not too late: two runners never both run it, and a job
    found after QUEUE_LIMIT (its owner was told it did not start) fails rather than starting after all."""
    now = utcnow()
    claimed = cast(CursorResult, db.session.execute(
        update(Job).where(Job.id == job_id, Job.status == "queued", Job.created_at >= now - QUEUE_LIMIT)
        .values(status="running", started_at=now)
    )).rowcount
    if not claimed:
        db.session.execute(update(Job).where(Job.id == job_id, Job.status == "queued")
                           .values(status="failed", failure="not_started", finished_at=now))
    db.session.commit()
    return db.session.get(Job, job_id) if claimed else None


def produce(job: Job):
    if not job.owner.is_active:
        raise JobRefused("no_owner")
    return KINDS[job.kind].produce(job.params, job.owner)


def store(job_id: int, chunks: Iterable[bytes]) -> int:
    """Keep the producer's bytes in pieces of CHUNK_BYTES as they come; returns the file's size."""
    buffer = bytearray()
    position = size = 0
    for piece in chunks:
        buffer += piece
        size += len(piece)
        while len(buffer) >= CHUNK_BYTES:
            with memoryview(buffer) as view:  # one copy of the piece, not two
                data = bytes(view[:CHUNK_BYTES])
            del buffer[:CHUNK_BYTES]
            store_piece(job_id, position, data)
            position += 1
    if buffer:
        store_piece(job_id, position, bytes(buffer))
    return size


def store_piece(job_id: int, position: int, data: bytes) -> None:
    with db.engine.begin() as connection:
        connection.execute(insert(JobChunk).values(job_id=job_id, position=position, data=data))


def finish(job_id: int, **result) -> None:
    db.session.execute(update(Job).where(Job.id == job_id).values(status="done", finished_at=utcnow(), **result))
    db.session.commit()


def fail(job_id: int, reason: str) -> None:
    """Failed, with the pieces stored so far removed."""
    db.session.rollback()
    with db.engine.begin() as connection:
        connection.execute(delete(JobChunk).where(JobChunk.job_id == job_id))
    db.session.execute(update(Job).where(Job.id == job_id)
                       .values(status="failed", failure=reason, finished_at=utcnow(), filename="", size=0))
    db.session.commit()


def log_failure(job_id: int, error: Exception) -> None:
    """The trace goes to the log, never to the page; a database error without the values it was given."""
    if isinstance(error, DBAPIError):
        frames = "".join(traceback.format_tb(error.__traceback__))
        current_app.logger.error("job %s failed: %s\n%s", job_id, redacted(error), frames)
    else:
        current_app.logger.exception("job %s failed", job_id)


def purge(before: datetime) -> int:
    """Remove the jobs asked for before `before`, with their files (a large ledger is hundreds of MB); returns
    how many. Chunks go first and apart from their job, so SQLite without foreign keys loses none either."""
    old = select(Job.id).where(Job.created_at < before)
    db.session.execute(delete(JobChunk).where(JobChunk.job_id.in_(old)))
    removed = cast(CursorResult, db.session.execute(delete(Job).where(Job.created_at < before))).rowcount
    db.session.commit()
    return removed


def result_chunks(job_id: int) -> Iterator[bytes]:
    """The stored file, one piece read at a time."""
    positions = db.session.scalars(select(JobChunk.position).where(JobChunk.job_id == job_id)
                                   .order_by(JobChunk.position)).all()
    for position in positions:
        yield db.session.execute(select(JobChunk.data)
                                 .where(JobChunk.job_id == job_id, JobChunk.position == position)).scalar_one()
