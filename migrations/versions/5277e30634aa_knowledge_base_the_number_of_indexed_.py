"""Knowledge base: the number of indexed articles kept as the count of the empty term (every indexed
article has it), so that a search reads it with its terms' counts instead of counting the index

Revision ID: 5277e30634aa
Revises: 9a5cef10f6d0
Create Date: 2026-12-03 16:42:48

"""
from alembic import op

revision = '5277e30634aa'
down_revision = '9a5cef10f6d0'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("INSERT INTO kb_term_stats (term, articles) SELECT '', count(*) FROM kb_field_lengths")


def downgrade():
    op.execute("DELETE FROM kb_term_stats WHERE term = ''")
