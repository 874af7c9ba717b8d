"""Gifts: the catalogue and its stock, which never goes below zero or below what is reserved, and
every movement in or out; campaigns with their category limits, and allocations; visits' souvenirs
drawn on the stock

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
CATEGORIES = ('prospect', 'vip', 'key')
ALLOCATION_STATUSES = ('draft', 'submitted', 'approved', 'returned', 'sent')


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
    op.create_table(
        'gift_campaigns',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('occasion', sa.String(length=20), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('budget', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('committed', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('committed >= 0 AND committed <= budget', name=op.f('ck_gift_campaigns_within_budget')),
        sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_gift_campaigns_period')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_gift_campaigns_created_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_gift_campaigns')),
        sa.UniqueConstraint('name', name=op.f('uq_gift_campaigns_name')),
    )
    op.create_table(
        'gift_campaign_categories',
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('category', sa.String(length=10), nullable=False),
        sa.Column('value_cap', sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column('quota', sa.Integer(), nullable=False),
        sa.Column('taken', sa.Integer(), nullable=False),
        sa.CheckConstraint(sa.column('category').in_(CATEGORIES), name=op.f('ck_gift_campaign_categories_category')),
        sa.CheckConstraint('taken >= 0 AND taken <= quota', name=op.f('ck_gift_campaign_categories_within_quota')),
        sa.ForeignKeyConstraint(['campaign_id'], ['gift_campaigns.id'],
                                name=op.f('fk_gift_campaign_categories_campaign_id_gift_campaigns'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('campaign_id', 'category', name=op.f('pk_gift_campaign_categories')),
    )
    op.create_table(
        'gift_allocations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('contact_id', sa.Integer(), nullable=True),
        sa.Column('category', sa.String(length=10), nullable=False),
        sa.Column('override_reason', sa.String(length=200), nullable=False),
        sa.Column('gift_id', sa.Integer(), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('unit_value', sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('comment', sa.String(length=300), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('sent_by_id', sa.Integer(), nullable=True),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('delivery', sa.String(length=100), nullable=False),
        sa.CheckConstraint(sa.column('category').in_(CATEGORIES), name=op.f('ck_gift_allocations_category')),
        sa.CheckConstraint(sa.column('status').in_(ALLOCATION_STATUSES), name=op.f('ck_gift_allocations_status')),
        sa.CheckConstraint('quantity > 0', name=op.f('ck_gift_allocations_quantity_positive')),
        sa.ForeignKeyConstraint(['campaign_id'], ['gift_campaigns.id'],
                                name=op.f('fk_gift_allocations_campaign_id_gift_campaigns'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_gift_allocations_client_id_clients'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_gift_allocations_contact_id_contacts'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['gift_id'], ['gifts.id'], name=op.f('fk_gift_allocations_gift_id_gifts')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_gift_allocations_created_by_id_users')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_gift_allocations_decided_by_id_users')),
        sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_gift_allocations_sent_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_gift_allocations')),
        sa.UniqueConstraint('campaign_id', 'client_id', name='uq_gift_allocations_once'),
    )
    op.create_index('ix_gift_allocations_campaign_id', 'gift_allocations', ['campaign_id'])
    op.create_index('ix_gift_allocations_client_id', 'gift_allocations', ['client_id'])
    # Visits' souvenirs come out of the same stock. On SQLite the foreign key goes inline with
    # ADD COLUMN: adding a constraint afterwards rebuilds the table, which would drop the room
    # guard triggers.
    if op.get_bind().dialect.name == 'postgresql':
        op.add_column('bookings', sa.Column('souvenir_gift_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_bookings_souvenir_gift_id_gifts'), 'bookings', 'gifts',
                              ['souvenir_gift_id'], ['id'])
    else:
        op.execute('ALTER TABLE bookings ADD COLUMN souvenir_gift_id INTEGER '
                   'CONSTRAINT fk_bookings_souvenir_gift_id_gifts REFERENCES gifts (id)')
    op.add_column('bookings', sa.Column('souvenirs_reserved', sa.Integer(), nullable=False, server_default='0'))


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint(op.f('fk_bookings_souvenir_gift_id_gifts'), 'bookings', type_='foreignkey')
    op.drop_column('bookings', 'souvenirs_reserved')
    op.drop_column('bookings', 'souvenir_gift_id')
    op.drop_table('gift_allocations')
    op.drop_table('gift_campaign_categories')
    op.drop_table('gift_campaigns')
    op.drop_table('gift_stock_movements')
    op.drop_table('gifts')
