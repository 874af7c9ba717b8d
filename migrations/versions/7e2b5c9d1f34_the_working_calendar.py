"""The working calendar: years the company holds, and their holidays and make-up working days

Revision ID: 7e2b5c9d1f34
Revises: 4c8d1e6f2b70
Create Date: 2026-11-23 17:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7e2b5c9d1f34'
down_revision = '4c8d1e6f2b70'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'calendar_years',
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('confirmed', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('year', name=op.f('pk_calendar_years')),
    )
    op.create_table(
        'calendar_days',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.CheckConstraint(sa.column('kind').in_(('holiday', 'workday')), name=op.f('ck_calendar_days_kind')),
        sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_days')),
    )


def downgrade():
    op.drop_table('calendar_days')
    op.drop_table('calendar_years')
