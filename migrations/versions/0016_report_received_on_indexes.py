"""The queue's `from` and `to` filters: reports read newest received first along (received_on, id), and per
team and unit along (team_id|unit_id, received_on, id), so that a page bounded by dates costs the same at any
size

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 04:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index('ix_report_received_on_id', ['received_on', 'id'], unique=False)
        batch_op.create_index('ix_report_team_id_received_on_id', ['team_id', 'received_on', 'id'], unique=False)
        batch_op.create_index('ix_report_unit_id_received_on_id', ['unit_id', 'received_on', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index('ix_report_unit_id_received_on_id')
        batch_op.drop_index('ix_report_team_id_received_on_id')
        batch_op.drop_index('ix_report_received_on_id')
