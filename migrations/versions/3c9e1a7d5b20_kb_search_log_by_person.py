"""Knowledge base: the search log by person, so that a search finds the person's latest one by key
(it walked back through everyone's searches since: the whole log for someone who had not searched)

Revision ID: 3c9e1a7d5b20
Revises: a07ff51e5bb1
Create Date: 2026-12-07 14:25:00

"""
from alembic import op

revision = '3c9e1a7d5b20'
down_revision = 'a07ff51e5bb1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_kb_search_log_user_id', 'kb_search_log', ['user_id', 'id'])


def downgrade():
    op.drop_index('ix_kb_search_log_user_id', table_name='kb_search_log')
