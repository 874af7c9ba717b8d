"""The service knowledge base: articles, their revisions and votes, the search index and log."""
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crmweb.auth.models import User
from crmweb.database import allowed_values
from crmweb.extensions import db
from crmweb.timeutil import UTCDateTime


class ArticleStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Article(db.Model):
    __tablename__ = "kb_articles"
    __table_args__ = (
        *allowed_values("status", ArticleStatus),
        # Browsing: published titles in order, the categories with their counts, the most read and the
        # newest (the landing page), each from an index rather than a sort of every article.
        sa.Index("ix_kb_articles_status_title", "status", "title", "id"),
        sa.Index("ix_kb_articles_status_category", "status", "category"),
        sa.Index("ix_kb_articles_status_views", "status", "views"),
        sa.Index("ix_kb_articles_status_updated", "status", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str | None] = mapped_column(sa.String(64), unique=True)  # key of `flask kb import`
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)           # sanitised HTML
    category: Mapped[str] = mapped_column(sa.String(64), index=True, default="")
    tags: Mapped[str] = mapped_column(sa.String(500), default="")       # comma separated
    synonyms: Mapped[str] = mapped_column(sa.String(500), default="")   # other words for it
    status: Mapped[str] = mapped_column(sa.String(10), index=True, default="draft")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    editor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    views: Mapped[int] = mapped_column(default=0)
    helpful_yes: Mapped[int] = mapped_column(default=0)
    helpful_no: Mapped[int] = mapped_column(default=0)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    editor: Mapped[User | None] = relationship(foreign_keys=[editor_id])

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in (self.tags or "").split(",") if tag]


class Revision(db.Model):
    """Who changed an article when, and what it said after the change."""

    __tablename__ = "kb_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(sa.ForeignKey("kb_articles.id", ondelete="CASCADE"),
                                            index=True)
    editor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(sa.String(10))
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    category: Mapped[str] = mapped_column(sa.String(64))
    tags: Mapped[str] = mapped_column(sa.String(500))
    synonyms: Mapped[str] = mapped_column(sa.String(500))
    changed: Mapped[str] = mapped_column(sa.String(200))  # names of the fields that changed

    editor: Mapped[User | None] = relationship()


class Vote(db.Model):
    """"Was this helpful?" — one vote per person per article, which they may change."""

    __tablename__ = "kb_votes"

    article_id: Mapped[int] = mapped_column(sa.ForeignKey("kb_articles.id", ondelete="CASCADE"),
                                            primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    helpful: Mapped[bool]
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Posting(db.Model):
    """One term of one published article and its BM25 part, field weights included.

    The search sums `part × weight × idf` over the query's terms in plain SQL: the same on SQLite
    and PostgreSQL, through one covering index.
    """

    __tablename__ = "kb_postings"
    # Impact order: read backwards, a term's best postings come first, from the index alone.
    __table_args__ = (sa.Index("ix_kb_postings_impact", "term", "part", "article_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(
        sa.String(64).with_variant(sa.String(64, collation="C"), "postgresql"))
    article_id: Mapped[int] = mapped_column(sa.ForeignKey("kb_articles.id", ondelete="CASCADE"),
                                            index=True)
    part: Mapped[float] = mapped_column(sa.Float)


class FieldLengths(db.Model):
    """Terms per field of each indexed article: BM25 normalises by the average of these."""

    __tablename__ = "kb_field_lengths"

    article_id: Mapped[int] = mapped_column(sa.ForeignKey("kb_articles.id", ondelete="CASCADE"),
                                            primary_key=True)
    title: Mapped[int]
    tags: Mapped[int]
    category: Mapped[int]
    body: Mapped[int]


class IndexedText(db.Model):
    """The normalised text of each indexed article that ranking.evidence reads
    (search.searchable_texts): kept apart from the field lengths, which are averaged and counted
    on every search and every save."""

    __tablename__ = "kb_indexed_texts"

    article_id: Mapped[int] = mapped_column(sa.ForeignKey("kb_articles.id", ondelete="CASCADE"),
                                            primary_key=True)
    headline: Mapped[str] = mapped_column(sa.Text)
    details: Mapped[str] = mapped_column(sa.Text)


class SynonymGroup(db.Model):
    """Words that mean the same to a client (报修 = 维修 = 修理), kept by managers."""

    __tablename__ = "kb_synonyms"

    id: Mapped[int] = mapped_column(primary_key=True)
    words: Mapped[str] = mapped_column(sa.String(500))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SearchLog(db.Model):
    """Each search typed, how many it found and what was opened: authors learn what to write."""

    __tablename__ = "kb_search_log"
    # A person's latest search, read on every search they type (log_search): by key, whoever else
    # searched since.
    __table_args__ = (sa.Index("ix_kb_search_log_user_id", "user_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    query: Mapped[str] = mapped_column(sa.String(200), index=True)
    results: Mapped[int]
    clicked_article_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kb_articles.id", ondelete="SET NULL"))


class TermStats(db.Model):
    """In how many published articles each term occurs: the idf of a search, read by key."""

    __tablename__ = "kb_term_stats"

    term: Mapped[str] = mapped_column(
        sa.String(64).with_variant(sa.String(64, collation="C"), "postgresql"), primary_key=True)
    articles: Mapped[int]
