"""Client activities and trials: the activity with the people responsible, each invited contact
with their answer, pass and feedback (links kept only as hashes), and the costs

Revision ID: f5fbb03639cc
Revises: c7d2e91f4a60
Create Date: 2026-12-02 05:45:12.032788

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f5fbb03639cc'
down_revision = 'c7d2e91f4a60'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('budget', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('purpose', sa.String(length=2000), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('product', sa.String(length=100), nullable=False),
    sa.Column('feedback_due_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('gathering', 'seminar', 'annual_meeting', 'forum', 'trial')", name=op.f('ck_activities_kind')),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_activities_capacity')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_activities_span')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_activities_created_by_id_users')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_activities_plan_id_plans'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('ix_activities_starts_at', ['starts_at'], unique=False)

    op.create_table('activity_costs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=100), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_costs_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_activity_costs_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_costs'))
    )
    with op.batch_alter_table('activity_costs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_costs_activity_id'), ['activity_id'], unique=False)

    op.create_table('activity_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('walk_in', sa.Boolean(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('rsvp_token_hash', sa.String(length=64), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('seated_at', sa.DateTime(), nullable=True),
    sa.Column('pass_code', sa.String(length=16), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(), nullable=True),
    sa.Column('product_sent_at', sa.DateTime(), nullable=True),
    sa.Column('feedback_token_hash', sa.String(length=64), nullable=True),
    sa.Column('feedback_at', sa.DateTime(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('feedback', sa.String(length=2000), nullable=False),
    sa.Column('interested', sa.Boolean(), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('invited', 'accepted', 'waitlisted', 'declined')", name=op.f('ck_activity_invitations_status')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_invitations_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_activity_invitations_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_activity_invitations_contact_id_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_activity_invitations_invited_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_invitations')),
    sa.UniqueConstraint('activity_id', 'contact_id', name='uq_activity_invitations_contact'),
    sa.UniqueConstraint('feedback_token_hash', name=op.f('uq_activity_invitations_feedback_token_hash')),
    sa.UniqueConstraint('pass_code', name=op.f('uq_activity_invitations_pass_code')),
    sa.UniqueConstraint('rsvp_token_hash', name=op.f('uq_activity_invitations_rsvp_token_hash'))
    )
    with op.batch_alter_table('activity_invitations', schema=None) as batch_op:
        batch_op.create_index('ix_activity_invitations_activity_status', ['activity_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_invitations_client_id'), ['client_id'], unique=False)

    op.create_table('activity_organisers',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_organisers_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_activity_organisers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('activity_id', 'user_id', name=op.f('pk_activity_organisers'))
    )


def downgrade():
    op.drop_table('activity_organisers')
    with op.batch_alter_table('activity_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_invitations_client_id'))
        batch_op.drop_index('ix_activity_invitations_activity_status')

    op.drop_table('activity_invitations')
    with op.batch_alter_table('activity_costs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_costs_activity_id'))

    op.drop_table('activity_costs')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_starts_at')

    op.drop_table('activities')
