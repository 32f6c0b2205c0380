"""Background jobs: a job per large export or poster batch, its result kept in chunks of about 1 MB

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 20:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('locale', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('media_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('failure', sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(['owner_id'], ['staff_user.id'], name=op.f('fk_job_owner_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_job')),
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_job_owner_id_id', ['owner_id', 'id'], unique=False)
    op.create_table(
        'job_chunk',
        sa.Column('job_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['job_id'], ['job.id'], name=op.f('fk_job_chunk_job_id_job'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('job_id', 'position', name=op.f('pk_job_chunk')),
    )


def downgrade():
    op.drop_table('job_chunk')
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index('ix_job_owner_id_id')
        batch_op.drop_index(batch_op.f('ix_job_created_at'))
    op.drop_table('job')
