"""A record of each backup made: where, how big, whether its check passed

Revision ID: e1cccb5dd71b
Revises: 12220619c102
Create Date: 2026-12-02 06:01:16.739915

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e1cccb5dd71b'
down_revision = '12220619c102'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('backup_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('tables', sa.Integer(), nullable=False),
    sa.Column('files', sa.Integer(), nullable=False),
    sa.Column('checked', sa.Boolean(), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_backup_runs'))
    )
    with op.batch_alter_table('backup_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_backup_runs_started_at'), ['started_at'], unique=False)



def downgrade():
    with op.batch_alter_table('backup_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_backup_runs_started_at'))

    op.drop_table('backup_runs')
