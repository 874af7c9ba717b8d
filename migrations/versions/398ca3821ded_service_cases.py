"""Service cases: the case with its clock and deadlines, what happened on it, and the deadline
table (filled with the company's defaults on first use)

Revision ID: 398ca3821ded
Revises: 9aaab060e043
Create Date: 2026-11-23 17:37:56.223258

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '398ca3821ded'
down_revision = '9aaab060e043'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_deadlines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('tier', sa.String(length=10), nullable=False),
    sa.Column('response_amount', sa.Integer(), nullable=False),
    sa.Column('response_unit', sa.String(length=5), nullable=False),
    sa.Column('resolution_amount', sa.Integer(), nullable=False),
    sa.Column('resolution_unit', sa.String(length=5), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("resolution_unit IN ('hours', 'days')", name=op.f('ck_case_deadlines_resolution_unit')),
    sa.CheckConstraint("response_unit IN ('hours', 'days')", name=op.f('ck_case_deadlines_response_unit')),
    sa.CheckConstraint('response_amount > 0 AND resolution_amount > 0', name=op.f('ck_case_deadlines_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_deadlines')),
    sa.UniqueConstraint('kind', 'severity', 'tier', name='uq_case_deadlines_line')
    )
    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('cause', sa.String(length=12), nullable=True),
    sa.Column('product', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(length=2000), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('repair_event_id', sa.Integer(), nullable=True),
    sa.Column('found_in_callback_id', sa.Integer(), nullable=True),
    sa.Column('confirmation_callback_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('escalation_level', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('response_limit', sa.Integer(), nullable=False),
    sa.Column('resolution_limit', sa.Integer(), nullable=False),
    sa.Column('paused_minutes', sa.Float(), nullable=False),
    sa.Column('paused_since', sa.DateTime(), nullable=True),
    sa.Column('response_due_at', sa.DateTime(), nullable=True),
    sa.Column('resolution_due_at', sa.DateTime(), nullable=True),
    sa.Column('first_response_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('response_breached_at', sa.DateTime(), nullable=True),
    sa.Column('resolution_breached_at', sa.DateTime(), nullable=True),
    sa.Column('resolution', sa.String(length=2000), nullable=False),
    sa.Column('satisfaction', sa.Integer(), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("cause IN ('quality', 'delivery', 'installation', 'attitude', 'price', 'billing', 'other')", name=op.f('ck_cases_cause')),
    sa.CheckConstraint("kind IN ('complaint', 'repair', 'question', 'proposal')", name=op.f('ck_cases_kind')),
    sa.CheckConstraint("severity IN ('normal', 'high', 'urgent')", name=op.f('ck_cases_severity')),
    sa.CheckConstraint("status IN ('open', 'waiting', 'resolved', 'closed')", name=op.f('ck_cases_status')),
    sa.CheckConstraint('escalation_level BETWEEN 0 AND 2', name=op.f('ck_cases_level')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_cases_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['confirmation_callback_id'], ['callbacks.id'], name=op.f('fk_cases_confirmation_callback_id_callbacks'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_cases_contact_id_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['service_events.id'], name=op.f('fk_cases_event_id_service_events'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['found_in_callback_id'], ['callbacks.id'], name=op.f('fk_cases_found_in_callback_id_callbacks'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_cases_opened_by_id_users')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_cases_owner_id_users')),
    sa.ForeignKeyConstraint(['repair_event_id'], ['service_events.id'], name=op.f('fk_cases_repair_event_id_service_events'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_confirmation_callback_id'), ['confirmation_callback_id'], unique=False)
        batch_op.create_index('ix_cases_owner_status', ['owner_id', 'status'], unique=False)
        batch_op.create_index('ix_cases_status_resolution_due', ['status', 'resolution_due_at'], unique=False)

    op.create_table('case_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('text', sa.String(length=2000), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_case_entries_actor_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_entries_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_entries'))
    )
    with op.batch_alter_table('case_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_entries_case_id'), ['case_id'], unique=False)



def downgrade():
    with op.batch_alter_table('case_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_entries_case_id'))

    op.drop_table('case_entries')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_status_resolution_due')
        batch_op.drop_index('ix_cases_owner_status')
        batch_op.drop_index(batch_op.f('ix_cases_confirmation_callback_id'))
        batch_op.drop_index(batch_op.f('ix_cases_client_id'))

    op.drop_table('cases')
    op.drop_table('case_deadlines')
