"""Why and when a client was lost, for the loss analysis

Revision ID: 5e3f50f719f9
Revises: 96b4a63054d6
Create Date: 2026-11-23 18:03:58.422090

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5e3f50f719f9'
down_revision = '96b4a63054d6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lost_reason', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('lost_at', sa.DateTime(), nullable=True))



def downgrade():
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_column('lost_at')
        batch_op.drop_column('lost_reason')

