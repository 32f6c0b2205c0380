"""Attachments' bytes in the database, so that any app host can serve any photo; the files on disk are moved in

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 10:00:00.000000

The files are read from the folder the app is configured with (REPORTING_UPLOAD_DIR, by default
instance/uploads), a few at a time so that memory stays bounded. A file already missing from disk stays
missing: its attachment has no bytes, and the report's page says so. The files are left on disk: remove the
folder once the upgraded site shows the photos.

"""
import logging
import os
import secrets
from pathlib import Path

from alembic import op
from flask import current_app
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

MAX_ATTACHMENT_BYTES = 32 * 1024 * 1024  # as reporting.models at this revision
BATCH_ROWS = 200  # attachment rows read at a time
BATCH_BYTES = 16 * 1024 * 1024  # bytes held before they are written
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
log = logging.getLogger("alembic.runtime.migration")

attachment = sa.table("attachment", sa.column("id", sa.Integer), sa.column("stored_name", sa.String),
                      sa.column("content_type", sa.String))
blob = sa.table("attachment_blob", sa.column("attachment_id", sa.Integer), sa.column("data", sa.LargeBinary))


def upload_dir() -> Path:
    """The folder the app that runs `db upgrade` is configured with, as migrations/env.py finds the app."""
    return Path(current_app.config["UPLOAD_DIR"])


def batches(connection, *columns):
    """The attachments' rows, `BATCH_ROWS` at a time, in id order."""
    last = 0
    while rows := connection.execute(sa.select(attachment.c.id, *columns).where(attachment.c.id > last)
                                     .order_by(attachment.c.id).limit(BATCH_ROWS)).all():
        yield rows
        last = rows[-1].id


def upgrade():
    op.create_table('attachment_blob',
    sa.Column('attachment_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.CheckConstraint(f'length(data) <= {MAX_ATTACHMENT_BYTES}', name=op.f('ck_attachment_blob_bounded')),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachment.id'], name=op.f('fk_attachment_blob_attachment_id_attachment')),
    sa.PrimaryKeyConstraint('attachment_id', name=op.f('pk_attachment_blob'))
    )
    move_files_in(op.get_bind(), upload_dir())
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_constraint('uq_attachment_stored_name', type_='unique')
        batch_op.drop_column('stored_name')


def move_files_in(connection, folder: Path) -> None:
    """Each attachment's file into `attachment_blob`, at most `BATCH_BYTES` held at once (beyond one file)."""
    pending, held, moved, missing = [], 0, 0, []
    for rows in batches(connection, attachment.c.stored_name):
        for row in rows:
            path = folder / row.stored_name
            if not path.is_file():
                missing.append(f"{row.id} ({row.stored_name})")
                continue
            if path.stat().st_size > MAX_ATTACHMENT_BYTES:
                raise RuntimeError(f"attachment {row.id}: {path} is larger than {MAX_ATTACHMENT_BYTES} bytes, more "
                                   "than the database keeps; store a smaller copy of the image under that name "
                                   "and upgrade again")
            pending.append({"attachment_id": row.id, "data": path.read_bytes()})
            held += len(pending[-1]["data"])
            if held >= BATCH_BYTES:
                connection.execute(blob.insert(), pending)
                moved, pending, held = moved + len(pending), [], 0
    if pending:
        connection.execute(blob.insert(), pending)
        moved += len(pending)
    log.info("attachments moved into the database from %s: %d", folder, moved)
    if missing:
        log.warning("attachments whose file was already missing from %s (shown as missing): %s",
                    folder, ", ".join(missing))


def downgrade():
    # The bytes go back to files under random names in the configured folder, as the app before kept them.
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stored_name', sa.String(length=100), nullable=True))
    write_files_out(op.get_bind(), upload_dir())
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.alter_column('stored_name', existing_type=sa.String(length=100), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_attachment_stored_name'), ['stored_name'])
    op.drop_table('attachment_blob')


def write_files_out(connection, folder: Path) -> None:
    """Each attachment gets a file name; its bytes, where kept, are written there one at a time (owner-only)."""
    folder.mkdir(parents=True, exist_ok=True)
    for rows in batches(connection, attachment.c.content_type):
        for row in rows:
            name = f"{secrets.token_hex(16)}.{EXTENSIONS[row.content_type]}"
            data = connection.execute(sa.select(blob.c.data).where(blob.c.attachment_id == row.id)).scalar()
            if data is not None:
                descriptor = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "wb") as file:
                    file.write(data)
            connection.execute(attachment.update().where(attachment.c.id == row.id).values(stored_name=name))
