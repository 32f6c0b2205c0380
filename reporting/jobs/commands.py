"""`flask --app wsgi jobs worker [--burst]` runs the jobs the site queues in Redis; `jobs purge [--days N]`
removes old jobs and their files."""
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from rq import Worker

from reporting.jobs.runners import QueueRunner
from reporting.jobs.services import purge
from reporting.models import utcnow

jobs = AppGroup("jobs", help="Background jobs.")


@jobs.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty, instead of waiting for more.")
def worker(burst: bool) -> None:
    """Take jobs from the site's queue, one at a time, each in a process of its own (RQ forks per job)."""
    runner = current_app.extensions["reporting.jobs"]
    if not isinstance(runner, QueueRunner):
        raise click.ClickException("REPORTING_REDIS_URL is not set: the site runs its jobs in threads of its own")
    click.echo(f"jobs worker on queue {runner.queue.name}")
    Worker([runner.queue], connection=runner.queue.connection).work(burst=burst, logging_level="INFO")


@jobs.command("purge")
@click.option("--days", type=click.IntRange(min=1), default=7, show_default=True,
              help="Keep the jobs asked for within this many days.")
def purge_command(days: int) -> None:
    """Remove older jobs and their files from the database (a daily cron)."""
    click.echo(f"{purge(utcnow() - timedelta(days=days))} jobs removed")
