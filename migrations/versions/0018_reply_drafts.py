"""Replies to residents approved by a leader: a round's setting, and a reply's review (draft, returned, approved)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 04:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

WAITING_REPLY = "review = 'waiting'"


def upgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replies_need_approval', sa.Boolean(), server_default=sa.text('false'),
                                      nullable=False))
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review', sa.String(length=10), server_default='', nullable=False))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('review_note', sa.Text(), server_default='', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_message_reviewed_by_id_staff_user'), 'staff_user',
                                    ['reviewed_by_id'], ['id'])
        batch_op.create_index('ix_message_waiting_report_id', ['report_id'], unique=False,
                              sqlite_where=sa.text(WAITING_REPLY), postgresql_where=sa.text(WAITING_REPLY))


def downgrade():
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index('ix_message_waiting_report_id', sqlite_where=sa.text(WAITING_REPLY),
                            postgresql_where=sa.text(WAITING_REPLY))
        batch_op.drop_constraint(batch_op.f('fk_message_reviewed_by_id_staff_user'), type_='foreignkey')
        batch_op.drop_column('review_note')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('review')
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_column('replies_need_approval')
