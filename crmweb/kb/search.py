"""The knowledge-base index and its BM25 ranking, in SQL that SQLite and PostgreSQL run alike.

Indexing an article writes one posting per term with its BM25 term-frequency part, the field
weights already applied (title and tags weigh more than the body). A search turns the query into
weighted terms (text.query_terms), reads each term's document frequency, and lets the database
sum `part × weight × idf` per article. Scores are rounded before the final ordering so that both
databases return the same top ten.
"""
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from html import unescape

import sqlalchemy as sa

from crmweb.extensions import db
from crmweb.kb import text
from crmweb.kb.models import Article, FieldLengths, Posting, SynonymGroup, TermStats

FIELD_WEIGHTS = {"title": 3.0, "tags": 2.0, "category": 1.0, "body": 1.0}
K1, B = 1.2, 0.75
CANDIDATES = 50
# Terms found in most articles (的, 是, 怎么) barely rank anything and cost the most to sum.
MIN_IDF = 0.05
MIN_CHAR_IDF = 3.0
POSTINGS_PER_TERM = 400

_TAG = re.compile(r"<[^>]+>")


def plain_text(html: str) -> str:
    """The words of sanitised HTML: tags dropped and entities (&lt; &amp; &#34;) read back, so
    that a snippet escaped once on the page shows them as the characters they are."""
    return re.sub(r"\s+", " ", unescape(_TAG.sub(" ", html or ""))).strip()


def _field_texts(article: Article) -> dict[str, str]:
    return {"title": article.title, "tags": " ".join(article.tag_list) + " " + (article.synonyms or ""),
            "category": article.category or "", "body": plain_text(article.body)}


def _average_lengths() -> dict[str, float]:
    row = db.session.execute(sa.select(
        sa.func.avg(FieldLengths.title), sa.func.avg(FieldLengths.tags),
        sa.func.avg(FieldLengths.category), sa.func.avg(FieldLengths.body))).one()
    return {field: float(value or 1.0) or 1.0 for field, value in zip(FIELD_WEIGHTS, row, strict=True)}


def _count_terms(terms: list[str], change: int) -> None:
    """Add `change` to the article counts of `terms` (created at need), in a fixed order so that
    concurrent re-indexing cannot deadlock on PostgreSQL."""
    if not terms:
        return
    # Each dialect's own INSERT … ON CONFLICT; imported here, as the PostgreSQL dialect package is
    # slow to import and an app on SQLite never needs it.
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert  # noqa: PLC0415 (the dialect of the database in use only)
    else:
        from sqlalchemy.dialects.sqlite import insert  # noqa: PLC0415 (the dialect of the database in use only)
    table = TermStats.__table__
    statement = insert(table).on_conflict_do_update(
        index_elements=[table.c.term], set_={"articles": table.c.articles + change})
    db.session.execute(statement, [{"term": term, "articles": max(change, 0)} for term in sorted(terms)])


def count_terms(changes: Counter) -> None:
    """Apply gathered changes to the article counts of terms: once per import, not per article."""
    by_change: dict[int, list[str]] = {}
    for term, change in changes.items():
        if change:
            by_change.setdefault(change, []).append(term)
    for change, terms in sorted(by_change.items()):
        _count_terms(terms, change)


def index_article(article: Article, gathered_counts: Counter | None = None) -> None:
    """(Re)write the postings of one article; unpublished articles leave the index.

    With `gathered_counts`, the term counts' changes are added there for `count_terms` to apply
    later (a bulk import), instead of being written now.
    """
    def count(terms: list[str], change: int) -> None:
        if gathered_counts is None:
            _count_terms(terms, change)
        else:
            gathered_counts.update({term: change for term in terms})

    old_terms = db.session.scalars(sa.select(Posting.term).where(Posting.article_id == article.id)).all()
    count(list(old_terms), -1)
    db.session.execute(sa.delete(Posting.__table__).where(Posting.article_id == article.id))
    db.session.execute(sa.delete(FieldLengths.__table__).where(FieldLengths.article_id == article.id))
    if article.status != "published":
        return
    counts = {field: text.terms(text.normalise(value)) for field, value in _field_texts(article).items()}
    lengths = {field: sum(terms.values()) for field, terms in counts.items()}
    db.session.execute(sa.insert(FieldLengths.__table__), [{"article_id": article.id, **lengths}])
    average = _average_lengths()
    parts: dict[str, float] = {}
    for field, terms in counts.items():
        for term, tf in terms.items():
            norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths[field] / average[field]))
            parts[term] = parts.get(term, 0.0) + FIELD_WEIGHTS[field] * norm
    parts = {term[:64]: part for term, part in parts.items()}
    if parts:
        db.session.execute(sa.insert(Posting.__table__), [
            {"term": term, "article_id": article.id, "part": round(part, 6)} for term, part in parts.items()])
        count(list(parts), +1)


def synonyms() -> dict[str, set[str]]:
    """The managers' synonym groups, read on every search so that an edit applies at once."""
    return _synonym_map(tuple(db.session.scalars(sa.select(SynonymGroup.words).order_by(SynonymGroup.id))))


@lru_cache(maxsize=4)
def _synonym_map(lines: tuple[str, ...]) -> dict[str, set[str]]:
    # Parsing (OpenCC on every word) is done once per version of the list, not per keystroke.
    return text.synonym_map([text.parse_synonym_line(line) for line in lines])


@dataclass
class Hit:
    article: Article
    score: float


def search(query: str, limit: int = 10) -> list[Hit]:
    """The best published articles for a query, best first."""
    weighted = text.query_terms(query, synonyms())
    if not weighted:
        return []
    documents = db.session.scalar(sa.select(sa.func.count()).select_from(FieldLengths)) or 0
    frequencies = dict(db.session.execute(
        sa.select(TermStats.term, TermStats.articles).where(TermStats.term.in_(list(weighted)),
                                                           TermStats.articles > 0)).all())
    has_words = any(not term.startswith(text.CHAR) for term in weighted)
    factors = {}
    for term, frequency in frequencies.items():
        idf = math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5))
        # Beside words, a single character helps only when it is rare, and common ones are the
        # longest lists to sum.
        floor = MIN_CHAR_IDF if has_words and term.startswith(text.CHAR) else MIN_IDF
        if idf >= floor:
            factors[term] = weighted[term] * idf
    if not factors:
        return []
    if has_words and all(term.startswith(text.CHAR) for term in factors):
        return []  # shared single characters alone are noise once the query has words
    # Each term contributes its best-scoring postings only (impact order, one index range each):
    # a common word in thousands of articles costs no more than a rare one.
    per_term = [
        sa.select(Posting.article_id.label("article_id"),
                  (Posting.part * value).label("score"),
                  sa.literal(0 if term.startswith(text.CHAR) else 1).label("strong"))
        .where(Posting.term == term)
        .order_by(Posting.part.desc(), Posting.article_id.desc()).limit(POSTINGS_PER_TERM)
        for term, value in sorted(factors.items())]
    hits = sa.union_all(*[sa.select(q.subquery()) for q in per_term]).subquery()
    score = sa.func.sum(hits.c.score).label("score")
    statement = sa.select(hits.c.article_id, score).group_by(hits.c.article_id)
    if has_words:
        statement = statement.having(sa.func.sum(hits.c.strong) > 0)
    rows = db.session.execute(statement.order_by(score.desc(), hits.c.article_id)
                              .limit(CANDIDATES)).all()
    ranked = sorted(rows, key=lambda row: (-round(row.score, 6), row.article_id))[:limit]
    articles = {a.id: a for a in db.session.scalars(
        sa.select(Article).where(Article.id.in_([row.article_id for row in ranked])))}
    return [Hit(articles[row.article_id], row.score) for row in ranked if row.article_id in articles]


def highlight_words(query: str) -> list[str]:
    """The words of a query worth marking in results, longest first (normalised)."""
    normalised = text.normalise(query)
    words = {term[2:] for term in text.terms(normalised) if term.startswith((text.WORD, text.BIGRAM))}
    if not words:
        words = {term[2:] for term in text.terms(normalised)}
    return sorted(words, key=len, reverse=True)
