"""Callbacks: the rules table events are called back by, callbacks with their windows and
results, and callback campaigns (the rules table is filled with the company's plan on first use)

Revision ID: 1b6969ae2465
Revises: b3d9f1a6c2e5
Create Date: 2026-11-23 17:15:27.689257

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '1b6969ae2465'
down_revision = 'b3d9f1a6c2e5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('callback_campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('criteria', sa.String(length=300), nullable=False),
    sa.Column('content_type', sa.String(length=10), nullable=False),
    sa.Column('purpose', sa.String(length=200), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("content_type IN ('explain', 'promote', 'rapport', 'mediate', 'advise', 'guide')", name=op.f('ck_callback_campaigns_content_type')),
    sa.CheckConstraint("method IN ('random', 'low_satisfaction', 'service_needed', 'rarely_contacted')", name=op.f('ck_callback_campaigns_method')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_callback_campaigns_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_callback_campaigns'))
    )
    op.create_table('callback_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_kind', sa.String(length=20), nullable=False),
    sa.Column('starts_after', sa.Integer(), nullable=False),
    sa.Column('ends_after', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=10), nullable=False),
    sa.Column('content_type', sa.String(length=10), nullable=False),
    sa.Column('purpose', sa.String(length=200), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("content_type IN ('explain', 'promote', 'rapport', 'mediate', 'advise', 'guide')", name=op.f('ck_callback_rules_content_type')),
    sa.CheckConstraint("unit IN ('days', 'months')", name=op.f('ck_callback_rules_unit')),
    sa.CheckConstraint('starts_after >= 0 AND ends_after >= starts_after', name=op.f('ck_callback_rules_window')),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_callback_rules_assignee_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_callback_rules')),
    sa.UniqueConstraint('event_kind', 'starts_after', 'ends_after', 'unit', name='uq_callback_rules_window')
    )
    op.create_table('callbacks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('rule_id', sa.Integer(), nullable=True),
    sa.Column('asked_in_id', sa.Integer(), nullable=True),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=10), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('call_at', sa.DateTime(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=True),
    sa.Column('rescheduled_because', sa.String(length=200), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('result_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("content_type IN ('explain', 'promote', 'rapport', 'mediate', 'advise', 'guide')", name=op.f('ck_callbacks_content_type')),
    sa.CheckConstraint("source IN ('event', 'follow_up', 'campaign', 'case')", name=op.f('ck_callbacks_source')),
    sa.CheckConstraint("status IN ('open', 'done', 'unreached', 'cancelled')", name=op.f('ck_callbacks_status')),
    sa.CheckConstraint('closes_on >= opens_on', name=op.f('ck_callbacks_window')),
    sa.ForeignKeyConstraint(['asked_in_id'], ['interactions.id'], name=op.f('fk_callbacks_asked_in_id_interactions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_callbacks_assignee_id_users')),
    sa.ForeignKeyConstraint(['campaign_id'], ['callback_campaigns.id'], name=op.f('fk_callbacks_campaign_id_callback_campaigns'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_callbacks_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_callbacks_contact_id_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['done_by_id'], ['users.id'], name=op.f('fk_callbacks_done_by_id_users')),
    sa.ForeignKeyConstraint(['event_id'], ['service_events.id'], name=op.f('fk_callbacks_event_id_service_events'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['result_id'], ['interactions.id'], name=op.f('fk_callbacks_result_id_interactions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['rule_id'], ['callback_rules.id'], name=op.f('fk_callbacks_rule_id_callback_rules')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_callbacks')),
    sa.UniqueConstraint('event_id', 'rule_id', name='uq_callbacks_event_rule')
    )
    with op.batch_alter_table('callbacks', schema=None) as batch_op:
        batch_op.create_index('ix_callbacks_assignee_open', ['assignee_id', 'status', 'opens_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_callbacks_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_callbacks_client_id'), ['client_id'], unique=False)
        batch_op.create_index('ix_callbacks_status_closes', ['status', 'closes_on'], unique=False)



def downgrade():
    with op.batch_alter_table('callbacks', schema=None) as batch_op:
        batch_op.drop_index('ix_callbacks_status_closes')
        batch_op.drop_index(batch_op.f('ix_callbacks_client_id'))
        batch_op.drop_index(batch_op.f('ix_callbacks_campaign_id'))
        batch_op.drop_index('ix_callbacks_assignee_open')

    op.drop_table('callbacks')
    op.drop_table('callback_rules')
    op.drop_table('callback_campaigns')
