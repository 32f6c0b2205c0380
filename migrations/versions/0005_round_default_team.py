"""A round's default team: web reports whose unit decides no team go there instead of reaching no one

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 12:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('default_team_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_round_default_team_id_team'), 'team', ['default_team_id'], ['id'],
                                    use_alter=True)
    # The reports waiting to be routed (待分派), newest first, for the admin's `team=none` queue.
    op.create_index('ix_report_unrouted_id', 'report', ['id'], unique=False,
                    sqlite_where=sa.text('team_id IS NULL'), postgresql_where=sa.text('team_id IS NULL'))


def downgrade():
    op.drop_index('ix_report_unrouted_id', table_name='report')
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_round_default_team_id_team'), type_='foreignkey')
        batch_op.drop_column('default_team_id')
