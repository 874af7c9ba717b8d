"""An index of the touches that carry a satisfaction, for the reports (covering, partial)

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


def upgrade():
    op.create_index('ix_interactions_scored', 'interactions', ['occurred_at', 'client_id', 'satisfaction'],
                    sqlite_where=sa.text('satisfaction IS NOT NULL'),
                    postgresql_where=sa.text('satisfaction IS NOT NULL'))


def downgrade():
    op.drop_index('ix_interactions_scored', table_name='interactions')
