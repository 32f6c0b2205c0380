"""`flask backup FILE`: a consistent copy of the embedded default's SQLite database, taken while the site runs.

Copying the file with `cp` can catch it half-written and misses what still sits in its write-ahead log;
SQLite's backup API copies a consistent snapshot. PostgreSQL is backed up with `pg_dump` (README). The keys
are not written beside the copy: whoever holds both reads every identity, so they are kept apart.
"""
import os
import sqlite3
from contextlib import closing
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from reporting.extensions import db


@click.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(out: Path) -> None:
    """Copy the SQLite database to OUT, a new file readable by its owner only."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(
            _("the database is not SQLite: back it up with pg_dump (README, Backup and restore)"))
    try:
        os.close(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError as error:
        raise click.ClickException(_("%(path)s exists: choose a new file", path=out)) from error
    try:
        with closing(sqlite3.connect(str(url.database))) as source, closing(sqlite3.connect(out)) as target:
            source.backup(target)
    except BaseException:
        out.unlink()
        raise
    click.echo(f"database: {out}")
    for variable, file_name in (("REPORTING_SECRET_KEY", "secret_key"), ("REPORTING_DATA_KEY", "data_key")):
        kept = "the environment" if os.environ.get(variable) else Path(current_app.instance_path) / file_name
        click.echo(f"key: {variable} (from {kept}): keep a copy apart from the database's")
