"""Indexes for the team's overdue counts (clients by owner and when they are next due for contact)
and for browsing the knowledge base (published titles in order, categories with their counts, the
most read and the newest)

Revision ID: f9f6bbb82340
Revises: e1cccb5dd71b
Create Date: 2026-12-02 16:51:11

"""
from alembic import op

revision = 'f9f6bbb82340'
down_revision = 'e1cccb5dd71b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_clients_owner_contact_due', 'clients', ['owner_id', 'contact_due_at'])
    op.create_index('ix_kb_articles_status_category', 'kb_articles', ['status', 'category'])
    op.create_index('ix_kb_articles_status_title', 'kb_articles', ['status', 'title', 'id'])
    op.create_index('ix_kb_articles_status_views', 'kb_articles', ['status', 'views'])
    op.create_index('ix_kb_articles_status_updated', 'kb_articles', ['status', 'updated_at'])


def downgrade():
    op.drop_index('ix_kb_articles_status_updated', table_name='kb_articles')
    op.drop_index('ix_kb_articles_status_views', table_name='kb_articles')
    op.drop_index('ix_kb_articles_status_title', table_name='kb_articles')
    op.drop_index('ix_kb_articles_status_category', table_name='kb_articles')
    op.drop_index('ix_clients_owner_contact_due', table_name='clients')
