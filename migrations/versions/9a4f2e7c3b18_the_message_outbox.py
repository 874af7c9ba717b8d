"""Messages: templates, sends, greeting rules, opt-outs, and the outbox; a client's founding day (every SMS and email a row first, once by
its idempotency key)

Revision ID: 9a4f2e7c3b18
Revises: 7e2b5c9d1f34
Create Date: 2026-11-23 17:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9a4f2e7c3b18'
down_revision = '7e2b5c9d1f34'
branch_labels = None
depends_on = None

# The values as they stood when this revision was written (crmweb.messages.models).
CHANNELS = ('sms', 'email')
STATUSES = ('queued', 'sending', 'sent', 'delivered', 'failed', 'skipped', 'unknown')
SEND_STATUSES = ('preparing', 'sending', 'cancelled')
GREETING_KINDS = ('birthday', 'festival', 'date', 'founding')


def upgrade():
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('founded_on', sa.Date(), nullable=True))
    op.create_table(
        'message_templates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('body', sa.String(length=2000), nullable=False),
        sa.Column('provider_template', sa.String(length=64), nullable=False),
        sa.Column('provider_params', sa.String(length=200), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint(sa.column('channel').in_(CHANNELS), name=op.f('ck_message_templates_channel')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_message_templates_created_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_message_templates')),
    )
    op.create_table(
        'message_sends',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('template_id', sa.Integer(), nullable=False),
        sa.Column('selection', sa.Text(), nullable=False),
        sa.Column('description', sa.String(length=300), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('scheduled_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint(sa.column('status').in_(SEND_STATUSES), name=op.f('ck_message_sends_status')),
        sa.ForeignKeyConstraint(['template_id'], ['message_templates.id'],
                                name=op.f('fk_message_sends_template_id_message_templates')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_message_sends_created_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_message_sends')),
    )
    op.create_index('ix_message_sends_scheduled_at', 'message_sends', ['scheduled_at'])
    op.create_table(
        'greeting_rules',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('festival', sa.String(length=10), nullable=False),
        sa.Column('month', sa.Integer(), nullable=True),
        sa.Column('day', sa.Integer(), nullable=True),
        sa.Column('tiers', sa.String(length=40), nullable=False),
        sa.Column('vip_only', sa.Boolean(), nullable=False),
        sa.Column('label_id', sa.Integer(), nullable=True),
        sa.Column('template_id', sa.Integer(), nullable=False),
        sa.Column('days_before', sa.Integer(), nullable=False),
        sa.Column('send_time', sa.Time(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint(sa.column('kind').in_(GREETING_KINDS), name=op.f('ck_greeting_rules_kind')),
        sa.ForeignKeyConstraint(['template_id'], ['message_templates.id'],
                                name=op.f('fk_greeting_rules_template_id_message_templates')),
        sa.ForeignKeyConstraint(['label_id'], ['client_labels.id'], name=op.f('fk_greeting_rules_label_id_client_labels'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_greeting_rules')),
    )
    op.create_table(
        'message_opt_outs',
        sa.Column('contact_id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_message_opt_outs_contact_id_contacts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('contact_id', 'channel', name=op.f('pk_message_opt_outs')),
    )
    op.create_table(
        'outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('idempotency_key', sa.String(length=200), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('send_id', sa.Integer(), nullable=True),
        sa.Column('client_id', sa.Integer(), nullable=True),
        sa.Column('contact_id', sa.Integer(), nullable=True),
        sa.Column('recipient', sa.String(length=254), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('provider_template', sa.String(length=64), nullable=False),
        sa.Column('params', sa.String(length=1000), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('not_before', sa.DateTime(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('provider_message_id', sa.String(length=100), nullable=True),
        sa.Column('error', sa.String(length=500), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('claimed_at', sa.DateTime(), nullable=True),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('delivered_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint(sa.column('channel').in_(CHANNELS), name=op.f('ck_outbox_channel')),
        sa.CheckConstraint(sa.column('status').in_(STATUSES), name=op.f('ck_outbox_status')),
        sa.ForeignKeyConstraint(['send_id'], ['message_sends.id'], name=op.f('fk_outbox_send_id_message_sends'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_outbox_client_id_clients'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_outbox_contact_id_contacts'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
        sa.UniqueConstraint('idempotency_key', name=op.f('uq_outbox_idempotency_key')),
    )
    op.create_index('ix_outbox_due', 'outbox', ['status', 'not_before'])
    op.create_index('ix_outbox_client_id', 'outbox', ['client_id'])
    op.create_index('ix_outbox_send_id', 'outbox', ['send_id'])
    op.create_index('ix_outbox_provider_message_id', 'outbox', ['provider_message_id'])


def downgrade():
    op.drop_table('outbox')
    op.drop_table('message_opt_outs')
    op.drop_table('greeting_rules')
    op.drop_table('message_sends')
    op.drop_table('message_templates')
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_column('founded_on')
