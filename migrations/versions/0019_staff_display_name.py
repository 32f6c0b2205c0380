"""Staff display names (姓名): pages name staff by them instead of their user names; an index that counts the open
work per member from the index alone

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 03:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('display_name', sa.String(length=50), server_default='', nullable=False))
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index('ix_report_team_id_status_assignee_id', ['team_id', 'status', 'assignee_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index('ix_report_team_id_status_assignee_id')
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('display_name')
