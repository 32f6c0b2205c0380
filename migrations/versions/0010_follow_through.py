"""Follow-through: receiving bodies and the rank table per round, a reported cadre's rank, outcomes of clues
and transfers, and 督办 reminders

Today's free-text transfer bodies are mapped onto the default list where they name one of its bodies (or a
common short form of it); the rest become 其他. The text typed is kept as the body's name either way, so the
downgrade gives every transfer back the text it had.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# Copies of reporting.followup.bodies as of this revision: a migration must not change when the app does.
BODIES = ["纪检监察机关", "组织部门", "宣传部门", "信访部门", "政法机关"]
RANK_BODIES = {"村(社区)干部": "纪检监察机关", "一般干部": "纪检监察机关", "乡科级": "纪检监察机关",
               "县处级": "组织部门", "厅局级及以上": "组织部门"}
# Words that name a listed body inside a free-text name (县纪委监委, 市委组织部, 区信访局...).
MARKERS = {"纪委": "纪检监察机关", "监委": "纪检监察机关", "纪检": "纪检监察机关", "组织部": "组织部门",
           "宣传部": "宣传部门", "信访": "信访部门", "政法": "政法机关", "公安": "政法机关", "检察院": "政法机关",
           "法院": "政法机关"}
OTHER = "其他"
UNANSWERED = "status = 'transferred' AND transfer_answered_on IS NULL AND transfer_due_on IS NOT NULL"

round_table = sa.table('round', sa.column('receiving_bodies', sa.JSON), sa.column('rank_bodies', sa.JSON))
report_table = sa.table('report', sa.column('id', sa.Integer), sa.column('transfer_body', sa.String),
                        sa.column('transfer_body_name', sa.String))


def listed_body(text):
    """The listed body a free-text name stands for, or 其他."""
    if text in BODIES:
        return text
    return next((body for marker, body in MARKERS.items() if marker in text), OTHER)


def upgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('receiving_bodies', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('rank_bodies', sa.JSON(), nullable=True))
    op.execute(round_table.update().values(receiving_bodies=BODIES, rank_bodies=RANK_BODIES))
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.alter_column('receiving_bodies', existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column('rank_bodies', existing_type=sa.JSON(), nullable=False)

    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_rank', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('transfer_body_name', sa.String(length=200), server_default='',
                                      nullable=False))
        batch_op.create_index('ix_report_unanswered_due', ['transfer_due_on', 'id'], unique=False,
                              sqlite_where=sa.text(UNANSWERED), postgresql_where=sa.text(UNANSWERED))
        batch_op.create_index('ix_report_team_unanswered_due', ['team_id', 'transfer_due_on', 'id'], unique=False,
                              sqlite_where=sa.text(UNANSWERED), postgresql_where=sa.text(UNANSWERED))
    connection = op.get_bind()
    typed = connection.execute(sa.select(report_table.c.transfer_body).where(report_table.c.transfer_body != '')
                               .distinct()).scalars().all()
    for text in typed:
        body = listed_body(text)
        # Rows already mapped have a name: a later text equal to their new body must not touch them.
        connection.execute(report_table.update()
                           .where(report_table.c.transfer_body == text, report_table.c.transfer_body_name == '')
                           .values(transfer_body=body, transfer_body_name='' if body == text else text))

    op.create_table(
        'outcome',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('concluded_on', sa.Date(), nullable=True),
        *(sa.Column(name, sa.Integer(), nullable=False)
          for name in ('cases', 'persons', 'detained', 'disciplined', 'organisational', 'admonished')),
        sa.Column('money_yuan', sa.BigInteger(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['staff_user.id'], name=op.f('fk_outcome_recorded_by_id_staff_user')),
        sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_outcome_report_id_report')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome')),
        sa.UniqueConstraint('report_id', 'kind', name=op.f('uq_outcome_report_id_kind')),
    )
    op.create_table(
        'reminder',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('sent_on', sa.Date(), nullable=False),
        sa.Column('reference', sa.String(length=100), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['staff_user.id'],
                                name=op.f('fk_reminder_recorded_by_id_staff_user')),
        sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_reminder_report_id_report')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder')),
    )
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_report_id'), ['report_id'], unique=False)


def downgrade():
    # Concluded reports go back to the decision they concluded; the tally follows (the upgrade's tally rows
    # for 'concluded' would otherwise count a status that no longer exists).
    op.execute("UPDATE report SET status = CASE WHEN transferred_on IS NOT NULL THEN 'transferred' ELSE 'clue' END"
               " WHERE status = 'concluded'")
    op.execute("DELETE FROM report_tally")
    op.execute("INSERT INTO report_tally (round_id, team_key, status, shard, count) SELECT round_id,"
               " COALESCE(team_id, 0), status, 0, count(*) FROM report GROUP BY round_id, COALESCE(team_id, 0), status")
    op.execute("UPDATE report SET transfer_body = transfer_body_name WHERE transfer_body_name <> ''")
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_report_id'))
    op.drop_table('reminder')
    op.drop_table('outcome')
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index('ix_report_team_unanswered_due', sqlite_where=sa.text(UNANSWERED),
                            postgresql_where=sa.text(UNANSWERED))
        batch_op.drop_index('ix_report_unanswered_due', sqlite_where=sa.text(UNANSWERED),
                            postgresql_where=sa.text(UNANSWERED))
        batch_op.drop_column('transfer_body_name')
        batch_op.drop_column('subject_rank')
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_column('rank_bodies')
        batch_op.drop_column('receiving_bodies')
