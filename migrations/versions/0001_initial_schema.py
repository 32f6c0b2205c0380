"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 13:13:51.436128

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=40), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('intake_hours', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=100), nullable=False),
    sa.Column('postal_box', sa.String(length=300), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('notice', sa.Text(), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round'))
    )
    op.create_table('staff_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_user')),
    sa.UniqueConstraint('username', name=op.f('uq_staff_user_username'))
    )
    op.create_table('team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_team_round_id_round')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team'))
    )
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_round_id'), ['round_id'], unique=False)

    op.create_table('staff_team',
    sa.Column('staff_user_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'], name=op.f('fk_staff_team_staff_user_id_staff_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_staff_team_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('staff_user_id', 'team_id', name=op.f('pk_staff_team'))
    )
    with op.batch_alter_table('staff_team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_team_team_id'), ['team_id'], unique=False)

    op.create_table('unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_unit_round_id_round')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_unit_team_id_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit'))
    )
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_unit_team_id'), ['team_id'], unique=False)

    op.create_table('qr_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('is_round_code', sa.Boolean(), nullable=False),
    sa.Column('scan_count', sa.Integer(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_qr_code_round_id_round')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_qr_code_team_id_team')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_qr_code_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qr_code')),
    sa.UniqueConstraint('token', name=op.f('uq_qr_code_token'))
    )
    with op.batch_alter_table('qr_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qr_code_round_id'), ['round_id'], unique=False)
        batch_op.create_index('uq_qr_code_round_code', ['round_id'], unique=True, sqlite_where=sa.text('is_round_code'), postgresql_where=sa.text('is_round_code'))

    op.create_table('report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('qr_code_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('subject_name', sa.String(length=200), nullable=False),
    sa.Column('subject_unit', sa.String(length=200), nullable=False),
    sa.Column('subject_position', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('is_anonymous', sa.Boolean(), nullable=False),
    sa.Column('identity_ciphertext', sa.LargeBinary(), nullable=True),
    sa.Column('receipt_digest', sa.String(length=64), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['qr_code_id'], ['qr_code.id'], name=op.f('fk_report_qr_code_id_qr_code')),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_report_round_id_round')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_report_team_id_team')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_report_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report')),
    sa.UniqueConstraint('receipt_digest', name=op.f('uq_report_receipt_digest'))
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_qr_code_id'), ['qr_code_id'], unique=False)
        batch_op.create_index('ix_report_round_id_category_id', ['round_id', 'category', 'id'], unique=False)
        batch_op.create_index('ix_report_round_id_channel_id', ['round_id', 'channel', 'id'], unique=False)
        batch_op.create_index('ix_report_round_id_id', ['round_id', 'id'], unique=False)
        batch_op.create_index('ix_report_round_id_status_id', ['round_id', 'status', 'id'], unique=False)
        batch_op.create_index('ix_report_team_id_status_id', ['team_id', 'status', 'id'], unique=False)
        batch_op.create_index('ix_report_unit_id_id', ['unit_id', 'id'], unique=False)

    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['staff_user.id'], name=op.f('fk_audit_event_actor_id_staff_user')),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_audit_event_report_id_report')),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_audit_event_round_id_round')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_event_report_id_at', ['report_id', 'at'], unique=False)

    op.create_table('message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['staff_user.id'], name=op.f('fk_message_author_id_staff_user')),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_message_report_id_report')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message'))
    )
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_report_id'), ['report_id'], unique=False)

    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('stored_name', sa.String(length=100), nullable=False),
    sa.Column('content_type', sa.String(length=50), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_attachment_message_id_message')),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_attachment_report_id_report')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_attachment_stored_name'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_report_id'), ['report_id'], unique=False)



def downgrade():
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_report_id'))
        batch_op.drop_index(batch_op.f('ix_attachment_message_id'))

    op.drop_table('attachment')
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_report_id'))

    op.drop_table('message')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_report_id_at')
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))

    op.drop_table('audit_event')
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index('ix_report_unit_id_id')
        batch_op.drop_index('ix_report_team_id_status_id')
        batch_op.drop_index('ix_report_round_id_status_id')
        batch_op.drop_index('ix_report_round_id_id')
        batch_op.drop_index('ix_report_round_id_channel_id')
        batch_op.drop_index('ix_report_round_id_category_id')
        batch_op.drop_index(batch_op.f('ix_report_qr_code_id'))

    op.drop_table('report')
    with op.batch_alter_table('qr_code', schema=None) as batch_op:
        batch_op.drop_index('uq_qr_code_round_code', sqlite_where=sa.text('is_round_code'), postgresql_where=sa.text('is_round_code'))
        batch_op.drop_index(batch_op.f('ix_qr_code_round_id'))

    op.drop_table('qr_code')
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_team_id'))
        batch_op.drop_index(batch_op.f('ix_unit_round_id'))

    op.drop_table('unit')
    with op.batch_alter_table('staff_team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_team_team_id'))

    op.drop_table('staff_team')
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_round_id'))

    op.drop_table('team')
    op.drop_table('staff_user')
    op.drop_table('round')
