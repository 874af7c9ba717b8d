"""Contracts on the archive: number, amount (confidential), the dates the client must sign by,
starts and ends, the renewal notice period, and the day each reminder was last sent for

Revision ID: 12220619c102
Revises: f5fbb03639cc
Create Date: 2026-12-02 05:52:17.355484

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '12220619c102'
down_revision = 'f5fbb03639cc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contracts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('signing_due_on', sa.Date(), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('renewal_notice_days', sa.Integer(), nullable=False),
    sa.Column('notes', sa.String(length=500), nullable=False),
    sa.Column('signing_reminded_for', sa.Date(), nullable=True),
    sa.Column('renewal_reminded_for', sa.Date(), nullable=True),
    sa.Column('expiry_reminded_for', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on', name=op.f('ck_contracts_span')),
    sa.CheckConstraint('renewal_notice_days >= 0', name=op.f('ck_contracts_notice')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_contracts_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_contracts_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contracts')),
    sa.UniqueConstraint('number', name=op.f('uq_contracts_number'))
    )
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contracts_client_id'), ['client_id'], unique=False)
        batch_op.create_index('ix_contracts_ends_on', ['ends_on'], unique=False)
        batch_op.create_index('ix_contracts_signing_due_on', ['signing_due_on'], unique=False)



def downgrade():
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_index('ix_contracts_signing_due_on')
        batch_op.drop_index('ix_contracts_ends_on')
        batch_op.drop_index(batch_op.f('ix_contracts_client_id'))

    op.drop_table('contracts')
