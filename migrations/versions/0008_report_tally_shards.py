"""Shards of the status tally, so that submissions to one team do not wait on one row's lock

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report_tally', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shard', sa.Integer(), nullable=False, server_default=sa.text('0')))
        batch_op.drop_constraint('pk_report_tally', type_='primary')
        batch_op.create_primary_key('pk_report_tally', ['round_id', 'team_key', 'status', 'shard'])


def downgrade():
    # The shards of each count are added up into shard 0 before the column goes.
    op.execute("INSERT INTO report_tally (round_id, team_key, status, shard, count)"
               " SELECT round_id, team_key, status, 0, 0 FROM report_tally"
               " GROUP BY round_id, team_key, status HAVING min(shard) > 0")
    op.execute("UPDATE report_tally SET count = (SELECT sum(count) FROM report_tally other"
               " WHERE other.round_id = report_tally.round_id AND other.team_key = report_tally.team_key"
               " AND other.status = report_tally.status) WHERE shard = 0")
    op.execute("DELETE FROM report_tally WHERE shard <> 0")
    with op.batch_alter_table('report_tally', schema=None) as batch_op:
        batch_op.drop_constraint('pk_report_tally', type_='primary')
        batch_op.create_primary_key('pk_report_tally', ['round_id', 'team_key', 'status'])
        batch_op.drop_column('shard')
