"""Gifts: the catalogue and its stock, which never goes below zero or below what is reserved, and
every movement in or out

Revision ID: b3d9f1a6c2e5
Revises: 9a4f2e7c3b18
Create Date: 2026-11-23 17:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b3d9f1a6c2e5'
down_revision = '9a4f2e7c3b18'
branch_labels = None
depends_on = None

# The values as they stood when this revision was written (crmweb.gifts.rules).
KINDS = ('custom', 'logo')
MOVEMENTS = ('received', 'issued', 'adjusted')


def upgrade():
    op.create_table(
        'gifts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('unit_value', sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column('supplier', sa.String(length=200), nullable=False),
        sa.Column('stock', sa.Integer(), nullable=False),
        sa.Column('reserved', sa.Integer(), nullable=False),
        sa.Column('low_level', sa.Integer(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint(sa.column('kind').in_(KINDS), name=op.f('ck_gifts_kind')),
        sa.CheckConstraint('stock >= 0', name=op.f('ck_gifts_stock_not_negative')),
        sa.CheckConstraint('reserved >= 0 AND reserved <= stock', name=op.f('ck_gifts_reserved_within_stock')),
        sa.CheckConstraint('unit_value >= 0', name=op.f('ck_gifts_value_not_negative')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_gifts')),
        sa.UniqueConstraint('name', name=op.f('uq_gifts_name')),
    )
    op.create_table(
        'gift_stock_movements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('gift_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('change', sa.Integer(), nullable=False),
        sa.Column('stock_after', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.CheckConstraint(sa.column('kind').in_(MOVEMENTS), name=op.f('ck_gift_stock_movements_kind')),
        sa.ForeignKeyConstraint(['gift_id'], ['gifts.id'], name=op.f('fk_gift_stock_movements_gift_id_gifts'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_gift_stock_movements_actor_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_gift_stock_movements')),
    )
    op.create_index('ix_gift_movements_gift_at', 'gift_stock_movements', ['gift_id', 'at'])


def downgrade():
    op.drop_table('gift_stock_movements')
    op.drop_table('gifts')
