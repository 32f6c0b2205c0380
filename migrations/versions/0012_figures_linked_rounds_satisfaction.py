"""Figures: linked rounds (a parent round, 回头看) and the reporters' satisfaction with concluded reports

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 20:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('is_revisit', sa.Boolean(), server_default=sa.text('false'), nullable=False))
        batch_op.create_index(batch_op.f('ix_round_parent_id'), ['parent_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_round_parent_id_round'), 'round', ['parent_id'], ['id'])
    op.create_table(
        'satisfaction',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('rating', sa.String(length=12), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_satisfaction_report_id_report')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_satisfaction')),
        sa.UniqueConstraint('report_id', name=op.f('uq_satisfaction_report_id')),
    )


def downgrade():
    op.drop_table('satisfaction')
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_round_parent_id_round'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_round_parent_id'))
        batch_op.drop_column('is_revisit')
        batch_op.drop_column('parent_id')
