"""Why a QR code was revoked (a poster torn down, a wrong unit), kept with it so that the revocation can be undone
knowingly

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 21:35:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('qr_code', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_reason', sa.String(length=200), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('qr_code', schema=None) as batch_op:
        batch_op.drop_column('revoked_reason')
