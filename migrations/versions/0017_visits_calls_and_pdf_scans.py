"""A visit's number of visitors and receiving officer (a call's number goes into the encrypted identity), and
attachments without a pixel size: the PDF scans of letters staff attach

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 03:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('visitors', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('receiving_officer', sa.String(length=50), server_default='', nullable=False))
        batch_op.create_check_constraint(op.f('ck_report_visitors_at_least_one'), 'visitors >= 1')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.alter_column('width', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('height', existing_type=sa.Integer(), nullable=True)


def downgrade():
    # The scans go with the downgrade: the schema before it cannot hold an attachment without a size.
    op.execute("DELETE FROM attachment_blob WHERE attachment_id IN (SELECT id FROM attachment WHERE width IS NULL)")
    op.execute("DELETE FROM attachment WHERE width IS NULL")
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.alter_column('height', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('width', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_report_visitors_at_least_one'), type_='check')
        batch_op.drop_column('receiving_officer')
        batch_op.drop_column('visitors')
