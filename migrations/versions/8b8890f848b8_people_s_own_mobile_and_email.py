"""People's own mobile and email, where urgent work reaches them (an escalated case)

Revision ID: 8b8890f848b8
Revises: 398ca3821ded
Create Date: 2026-11-23 17:47:35.089464

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '8b8890f848b8'
down_revision = '398ca3821ded'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mobile', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email')
        batch_op.drop_column('mobile')

