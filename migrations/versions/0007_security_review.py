"""The security review: login throttle and TOTP replay facts, TRUNCATE refused on the audit trail,
and no time finer than the day kept for what a resident sends

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 13:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False, server_default=sa.text('0')))
        batch_op.add_column(sa.Column('last_failed_login_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        # Row triggers do not fire on TRUNCATE; a statement trigger does.
        op.execute(
            "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
        )
    # What a resident sends keeps its day, not its time: joined with a proxy's log, the time names them.
    day = "date_trunc('day', {})" if postgresql else "datetime(date({}))"
    op.execute(f"UPDATE report SET created_at = {day.format('created_at')}, updated_at = {day.format('updated_at')}"
               " WHERE channel = 'web'")
    op.execute(f"UPDATE message SET created_at = {day.format('created_at')} WHERE kind = 'reporter'")
    op.execute(
        f"UPDATE attachment SET created_at = {day.format('created_at')} WHERE message_id IN"
        " (SELECT id FROM message WHERE kind = 'reporter') OR (message_id IS NULL AND report_id IN"
        " (SELECT id FROM report WHERE channel = 'web'))"
    )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_event_no_truncate ON audit_event")
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('last_failed_login_at')
        batch_op.drop_column('failed_logins')
