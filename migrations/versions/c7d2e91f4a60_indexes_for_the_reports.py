"""Indexes for the reports: the standing touches that carry a satisfaction (partial, by time and by
client) and sales by time and by client (covering)

Revision ID: c7d2e91f4a60
Revises: 5e3f50f719f9
Create Date: 2026-11-23 18:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c7d2e91f4a60'
down_revision = '5e3f50f719f9'
branch_labels = None
depends_on = None

SCORED = 'satisfaction IS NOT NULL AND voided_at IS NULL'


def upgrade():
    op.create_index('ix_interactions_scored', 'interactions', ['occurred_at', 'client_id', 'satisfaction'],
                    sqlite_where=sa.text(SCORED), postgresql_where=sa.text(SCORED))
    op.create_index('ix_interactions_scored_by_client', 'interactions', ['client_id', 'occurred_at', 'satisfaction'],
                    sqlite_where=sa.text(SCORED), postgresql_where=sa.text(SCORED))
    op.create_index('ix_service_events_kind_time', 'service_events',
                    ['kind', 'voided_at', 'occurred_at', 'client_id', 'amount'])
    op.create_index('ix_service_events_kind_client', 'service_events', ['kind', 'voided_at', 'client_id', 'occurred_at'])


def downgrade():
    op.drop_index('ix_service_events_kind_client', table_name='service_events')
    op.drop_index('ix_service_events_kind_time', table_name='service_events')
    op.drop_index('ix_interactions_scored_by_client', table_name='interactions')
    op.drop_index('ix_interactions_scored', table_name='interactions')
