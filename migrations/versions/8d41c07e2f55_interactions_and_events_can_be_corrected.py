"""Interactions and events can be corrected or voided, with who, when and why

Revision ID: 8d41c07e2f55
Revises: 5b2e8f1c4a90
Create Date: 2026-11-23 13:05:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '8d41c07e2f55'
down_revision = '5b2e8f1c4a90'
branch_labels = None
depends_on = None

TABLES = ('interactions', 'service_events')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('corrected_at', sa.DateTime(), nullable=True))
            batch_op.add_column(sa.Column('voided_at', sa.DateTime(), nullable=True))
            batch_op.add_column(sa.Column('voided_by_id', sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column('void_reason', sa.String(length=200), nullable=True))
            batch_op.create_foreign_key(f'fk_{table}_voided_by_id_users', 'users', ['voided_by_id'], ['id'])


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'fk_{table}_voided_by_id_users', type_='foreignkey')
            batch_op.drop_column('void_reason')
            batch_op.drop_column('voided_by_id')
            batch_op.drop_column('voided_at')
            batch_op.drop_column('corrected_at')
