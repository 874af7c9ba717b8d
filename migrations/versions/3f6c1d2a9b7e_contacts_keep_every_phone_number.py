"""Contacts keep every phone number: the ones beyond the mobile and the other phone

Revision ID: 3f6c1d2a9b7e
Revises: bb27b91bf8c4
Create Date: 2026-11-23 12:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '3f6c1d2a9b7e'
down_revision = 'bb27b91bf8c4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('other_phones', sa.String(length=2000), nullable=True))


def downgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('other_phones')
