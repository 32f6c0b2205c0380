"""The queue's index on (team_id, id): a team's reports newest first, whatever their status

Without it PostgreSQL reads a member's queue by walking the primary key from the newest report down,
past every other team's reports: 0.5 s at a million reports for a team of an earlier round, against
0.1 ms with it (BENCHMARKS.md, "Staff queue").

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 14:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index('ix_report_team_id_id', ['team_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index('ix_report_team_id_id')
