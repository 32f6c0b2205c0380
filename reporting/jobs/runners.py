"""The two runners of jobs, chosen by configuration: a thread of the site without Redis, an RQ queue with it.

Both run `services.run(job_id)`; nothing of the job travels but its id, so a worker on another host needs
only the database, Redis and the site's environment.
"""
import hashlib
import threading

import redis
from flask import Flask
from rq import Queue

from reporting.extensions import db
from reporting.jobs import services
from reporting.jobs.rules import QUEUE_LIMIT, RUN_LIMIT


class ThreadRunner:
    """Runs each job in a daemon thread of this process, in an app context (and so a session) of its own.

    For one host on the embedded default: a job dies with its process, and the page then says so (RUN_LIMIT).
    """

    def __init__(self, app: Flask) -> None:
        self.app = app

    def submit(self, job_id: int) -> None:
        threading.Thread(target=self.run, args=(job_id,), name=f"job-{job_id}", daemon=True).start()

    def run(self, job_id: int) -> None:
        with self.app.app_context():
            services.run(job_id)


class QueueRunner:
    """Puts each job's id on an RQ queue of the site's Redis, for `flask --app wsgi jobs worker`.

    With Redis unreachable the job runs in a thread of this process instead, as rate limits fall back to
    memory: the staff member still gets the file.
    """

    def __init__(self, app: Flask, url: str) -> None:
        self.app = app
        self.queue = Queue(queue_name(app.config["SECRET_KEY"]), connection=redis.Redis.from_url(url))
        self.fallback = ThreadRunner(app)

    def submit(self, job_id: int) -> None:
        try:
            self.queue.enqueue_call(perform, args=(job_id,), timeout=int(RUN_LIMIT.total_seconds()),
                                    ttl=int(QUEUE_LIMIT.total_seconds()), result_ttl=0)
        except redis.RedisError:
            self.app.logger.warning("Redis unreachable: job %s runs in a thread of this process", job_id)
            self.fallback.submit(job_id)


def queue_name(secret_key: str) -> str:
    """One queue per deployment (its secret), as for scan counts: two sites on one Redis never take each
    other's jobs. The worker must therefore run with the site's REPORTING_SECRET_KEY."""
    return "reporting-jobs-" + hashlib.sha256(secret_key.encode()).hexdigest()[:16]


def perform(job_id: int) -> None:
    """What the worker runs, in the work horse it forks for each job, inside the command's app context.

    The forked horse must not share the parent's database connections: the pool is dropped (not closed,
    they are the parent's) and the job opens its own, closed before the horse exits.
    """
    db.engine.dispose(close=False)
    try:
        services.run(job_id)
    finally:
        db.session.remove()
        db.engine.dispose()


def init_app(app: Flask) -> None:
    url = app.config.get("REDIS_URL")
    app.extensions["reporting.jobs"] = QueueRunner(app, url) if url else ThreadRunner(app)
