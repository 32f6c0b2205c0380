"""Triage outcomes on reports, read marks, status tallies, staff login facts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 13:30:49.698004

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_tally',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('team_key', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_report_tally_round_id_round')),
    sa.PrimaryKeyConstraint('round_id', 'team_key', 'status', name=op.f('pk_report_tally'))
    )
    op.create_table('report_read',
    sa.Column('staff_user_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_report_read_report_id_report'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'], name=op.f('fk_report_read_staff_user_id_staff_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('staff_user_id', 'report_id', name=op.f('pk_report_read'))
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(), nullable=False, server_default=sa.func.current_timestamp()))
        batch_op.add_column(sa.Column('subject_key', sa.String(length=400), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('recorded_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('assignee_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('clue_number', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('clue_summary', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('clue_disposal', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('transfer_body', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('transfer_reference', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('transferred_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('transfer_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('transfer_answer', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('transfer_answered_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('closing_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('public_advice', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('proposal', sa.JSON(), nullable=True))
        batch_op.create_index('ix_report_assignee_id_id', ['assignee_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_duplicate_of_id'), ['duplicate_of_id'], unique=False)
        batch_op.create_index('ix_report_round_id_subject_key', ['round_id', 'subject_key'], unique=False)
        batch_op.create_unique_constraint('uq_report_round_id_clue_number', ['round_id', 'clue_number'])
        batch_op.create_foreign_key(batch_op.f('fk_report_assignee_id_staff_user'), 'staff_user', ['assignee_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_report_duplicate_of_id_report'), 'report', ['duplicate_of_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_report_recorded_by_id_staff_user'), 'staff_user', ['recorded_by_id'], ['id'])

    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_login_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('totp_secret', sa.LargeBinary(), nullable=True))

    append_only_audit()

    # Reports received before this migration are counted once, here; the app keeps the tally from now on.
    op.execute(
        "INSERT INTO report_tally (round_id, team_key, status, count) "
        "SELECT round_id, COALESCE(team_id, 0), status, count(*) FROM report GROUP BY round_id, COALESCE(team_id, 0), status"
    )


def append_only_audit():
    """The audit trail refuses UPDATE and DELETE in the database itself, whatever code runs against it."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_event_no_{event.lower()} BEFORE {event} ON audit_event "
                "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"
            )


def drop_append_only_audit():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION audit_event_append_only()")
    else:
        op.execute("DROP TRIGGER audit_event_no_update")
        op.execute("DROP TRIGGER audit_event_no_delete")


def downgrade():
    drop_append_only_audit()
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('totp_secret')
        batch_op.drop_column('last_login_at')

    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_report_recorded_by_id_staff_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_report_duplicate_of_id_report'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_report_assignee_id_staff_user'), type_='foreignkey')
        batch_op.drop_constraint('uq_report_round_id_clue_number', type_='unique')
        batch_op.drop_index('ix_report_round_id_subject_key')
        batch_op.drop_index(batch_op.f('ix_report_duplicate_of_id'))
        batch_op.drop_index('ix_report_assignee_id_id')
        batch_op.drop_column('proposal')
        batch_op.drop_column('public_advice')
        batch_op.drop_column('closing_reason')
        batch_op.drop_column('transfer_answered_on')
        batch_op.drop_column('transfer_answer')
        batch_op.drop_column('transfer_due_on')
        batch_op.drop_column('transferred_on')
        batch_op.drop_column('transfer_reference')
        batch_op.drop_column('transfer_body')
        batch_op.drop_column('clue_disposal')
        batch_op.drop_column('clue_summary')
        batch_op.drop_column('clue_number')
        batch_op.drop_column('duplicate_of_id')
        batch_op.drop_column('assignee_id')
        batch_op.drop_column('recorded_by_id')
        batch_op.drop_column('subject_key')
        batch_op.drop_column('updated_at')

    op.drop_table('report_read')
    op.drop_table('report_tally')
