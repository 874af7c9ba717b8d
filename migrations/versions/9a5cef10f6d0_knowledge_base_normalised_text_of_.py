"""Knowledge base: the normalised text of each indexed article, kept so that a search reads it
instead of normalising its hundred candidates again; filled for the articles already indexed

Revision ID: 9a5cef10f6d0
Revises: f9f6bbb82340
Create Date: 2026-12-03 16:17:25

"""
import re
import unicodedata
from html import unescape

from alembic import op
import sqlalchemy as sa

revision = '9a5cef10f6d0'
down_revision = 'f9f6bbb82340'
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade():
    texts = op.create_table(
        'kb_indexed_texts',
        sa.Column('article_id', sa.Integer(), nullable=False),
        sa.Column('headline', sa.Text(), nullable=False),
        sa.Column('details', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['article_id'], ['kb_articles.id'],
                                name=op.f('fk_kb_indexed_texts_article_id_kb_articles'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('article_id', name=op.f('pk_kb_indexed_texts')))

    import opencc

    converter = opencc.OpenCC("t2s")

    # crmweb.kb.text.normalise and crmweb.kb.search.field_texts / searchable_texts as of this
    # revision (a revision does not import the app, whose code may change later).
    def normalise(value):
        value = unicodedata.normalize("NFKC", value or "").lower()
        return converter.convert(value) if re.search(r"[\u3400-\u9fff]", value) else value

    def searchable(row):
        tags = (row.tags or "").replace(",", " ") + " " + (row.synonyms or "")
        body = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", row.body or ""))).strip()
        return {"article_id": row.id, "headline": normalise(row.title + " " + tags),
                "details": normalise((row.category or "") + " " + body)}

    connection = op.get_bind()
    articles = sa.table('kb_articles', *(sa.column(name) for name in (
        'id', 'title', 'tags', 'synonyms', 'category', 'body')))
    indexed = connection.execute(sa.text(
        'SELECT article_id FROM kb_field_lengths ORDER BY article_id')).scalars().all()
    for start in range(0, len(indexed), BATCH):
        rows = connection.execute(sa.select(articles).where(
            articles.c.id.in_(indexed[start:start + BATCH]))).all()
        op.bulk_insert(texts, [searchable(row) for row in rows])


def downgrade():
    op.drop_table('kb_indexed_texts')
