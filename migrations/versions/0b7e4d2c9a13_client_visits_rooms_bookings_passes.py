"""Client visits: meeting rooms, bookings, visitors with their passes, walk-ins; a room is never
held twice at once (an exclusion constraint on PostgreSQL, triggers on SQLite)

Revision ID: 0b7e4d2c9a13
Revises: e5a19c3f7d62
Create Date: 2026-11-23 16:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0b7e4d2c9a13'
down_revision = 'e5a19c3f7d62'
branch_labels = None
depends_on = None

# The states as they stood when this revision was written (crmweb.bookings.rules.VisitStatus).
STATUSES = ('requested', 'approved', 'cancelled')
ROOM_TAKEN = 'booking_room_taken'

# SQLite runs one writer at a time: a trigger's check and the write it guards cannot interleave
# with another booking's, whatever the number of server processes.
SQLITE_GUARD = """
CREATE TRIGGER bookings_room_free_{event} BEFORE {event} ON bookings
WHEN NEW.status != 'cancelled' AND EXISTS (
    SELECT 1 FROM bookings AS other
    WHERE other.room_id = NEW.room_id AND other.status != 'cancelled' AND other.id IS NOT NEW.id
      AND other.starts_at < NEW.ends_at AND NEW.starts_at < other.ends_at)
BEGIN SELECT RAISE(ABORT, '{message}'); END
"""


def upgrade():
    op.create_table(
        'meeting_rooms',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('capacity', sa.Integer(), nullable=False),
        sa.Column('equipment', sa.String(length=200), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_rooms')),
        sa.UniqueConstraint('name', name=op.f('uq_meeting_rooms_name')),
    )
    op.create_table(
        'bookings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('room_id', sa.Integer(), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('tier', sa.String(length=20), nullable=False),
        sa.Column('purpose', sa.String(length=500), nullable=False),
        sa.Column('areas', sa.String(length=200), nullable=False),
        sa.Column('host_id', sa.Integer(), nullable=False),
        sa.Column('guide_id', sa.Integer(), nullable=True),
        sa.Column('needs_analysed', sa.Boolean(), nullable=False),
        sa.Column('rehearsed', sa.Boolean(), nullable=False),
        sa.Column('meals_arranged', sa.Boolean(), nullable=False),
        sa.Column('senior_manager_id', sa.Integer(), nullable=True),
        sa.Column('informal', sa.Boolean(), nullable=False),
        sa.Column('holiday_allowed', sa.Boolean(), nullable=False),
        sa.Column('photography_allowed', sa.Boolean(), nullable=False),
        sa.Column('souvenirs', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('approved_by_id', sa.Integer(), nullable=True),
        sa.Column('approved_at', sa.DateTime(), nullable=True),
        sa.Column('cancelled_at', sa.DateTime(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint(sa.column('status').in_(STATUSES), name=op.f('ck_bookings_status')),
        sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_bookings_span')),
        sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_bookings_client_id_clients'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['room_id'], ['meeting_rooms.id'], name=op.f('fk_bookings_room_id_meeting_rooms')),
        sa.ForeignKeyConstraint(['host_id'], ['users.id'], name=op.f('fk_bookings_host_id_users')),
        sa.ForeignKeyConstraint(['guide_id'], ['users.id'], name=op.f('fk_bookings_guide_id_users')),
        sa.ForeignKeyConstraint(['senior_manager_id'], ['users.id'],
                                name=op.f('fk_bookings_senior_manager_id_users')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_bookings_created_by_id_users')),
        sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_bookings_approved_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings')),
    )
    op.create_index('ix_bookings_client_id', 'bookings', ['client_id'])
    op.create_index('ix_bookings_room_time', 'bookings', ['room_id', 'starts_at'])
    op.create_index('ix_bookings_starts_at', 'bookings', ['starts_at'])
    op.create_table(
        'booking_visitors',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('booking_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('pass_code', sa.String(length=16), nullable=True),
        sa.Column('voided_at', sa.DateTime(), nullable=True),
        sa.Column('checked_in_at', sa.DateTime(), nullable=True),
        sa.Column('checked_out_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_booking_visitors_booking_id_bookings'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_visitors')),
        sa.UniqueConstraint('pass_code', name=op.f('uq_booking_visitors_pass_code')),
    )
    op.create_index('ix_booking_visitors_booking_id', 'booking_visitors', ['booking_id'])
    op.create_table(
        'walk_ins',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('company', sa.String(length=200), nullable=False),
        sa.Column('purpose', sa.String(length=200), nullable=False),
        sa.Column('host_id', sa.Integer(), nullable=True),
        sa.Column('arrived_at', sa.DateTime(), nullable=False),
        sa.Column('left_at', sa.DateTime(), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['host_id'], ['users.id'], name=op.f('fk_walk_ins_host_id_users')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_walk_ins_recorded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_walk_ins')),
    )
    op.create_index('ix_walk_ins_arrived_at', 'walk_ins', ['arrived_at'])

    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS btree_gist')
        # Half-open ranges: one visit may end at 10:00 and the next begin at 10:00.
        op.execute("ALTER TABLE bookings ADD CONSTRAINT booking_room_taken EXCLUDE USING gist "
                   "(room_id WITH =, tsrange(starts_at, ends_at) WITH &&) WHERE (status <> 'cancelled')")
    else:
        for event in ('INSERT', 'UPDATE'):
            op.execute(SQLITE_GUARD.format(event=event, message=ROOM_TAKEN))


def downgrade():
    op.drop_table('walk_ins')
    op.drop_table('booking_visitors')
    op.drop_table('bookings')
    op.drop_table('meeting_rooms')
