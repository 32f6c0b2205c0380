"""When a round was last handed over (移交): a round closed and handed over becomes read-only

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 20:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handed_over_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_column('handed_over_at')
