"""A mark on reports whose proposal a leader returned, so the member finds them in the queue

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 13:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposal_returned', sa.Boolean(), nullable=False, server_default=sa.text('false')))
    # A proposal returned before this migration, with nothing decided since, is marked as one returned now.
    op.execute(
        # A cleared proposal is JSON null, not SQL NULL: the app stores None in a JSON column that way.
        "UPDATE report SET proposal_returned = true WHERE (proposal IS NULL OR CAST(proposal AS TEXT) = 'null')"
        " AND EXISTS ("
        " SELECT 1 FROM audit_event e WHERE e.report_id = report.id AND e.action = 'triage.return'"
        " AND e.id = (SELECT max(id) FROM audit_event other WHERE other.report_id = report.id"
        " AND other.action LIKE 'triage.%' AND other.action NOT IN ('triage.assign', 'triage.route')))"
    )


def downgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_column('proposal_returned')
