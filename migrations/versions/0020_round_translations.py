"""A round's name, notice and channels written in its other languages (`{"bo": {"name": ...}}`), Chinese where none

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 04:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), server_default='{}', nullable=False))


def downgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_column('translations')
