"""A confirmed import remembers its clients, for a view of just them

Revision ID: c2f0b7a45e18
Revises: a7c3e9d21b04
Create Date: 2026-11-23 13:25:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c2f0b7a45e18'
down_revision = 'a7c3e9d21b04'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('client_imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('client_ids', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('client_imports', schema=None) as batch_op:
        batch_op.drop_column('client_ids')
        batch_op.drop_column('confirmed_at')
