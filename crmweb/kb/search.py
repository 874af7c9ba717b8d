"""The knowledge-base index and its search, in SQL that SQLite and PostgreSQL run alike.

Indexing an article writes one posting per term with its BM25 term-frequency part, the field
weights already applied (title and tags weigh more than the body). A search turns the query into
weighted terms (text.query_terms), reads each term's document frequency, lets the database sum
`part × weight × idf` per article for the best candidates, and orders those by the evidence of
ranking.py. Scores are rounded so that both databases return the same top ten.
"""
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from typing import NamedTuple

import sqlalchemy as sa

from crmweb.database import insert_rows
from crmweb.extensions import db
from crmweb.kb import ranking, text
from crmweb.kb.models import Article, FieldLengths, IndexedText, Posting, SynonymGroup, TermStats

FIELD_WEIGHTS = {"title": 3.0, "tags": 2.0, "category": 1.0, "body": 1.0}
K1, B = 1.2, 0.75
CANDIDATES = 100
# Terms found in nearly every article barely rank anything and cost the most to sum.
MIN_IDF = 0.05
POSTINGS_PER_TERM = 400
# An article the query's distinctive words find (a fault named in its body) can lack the common
# words' part where their postings were cut (a product name in thousands of titles): beside the
# best by the whole sum, the best by the words read whole get in. Twice the ten a search shows.
DISTINCTIVE_CANDIDATES = 20
# A related list's five come from the best postings of its tags' terms: fewer of them will do.
RELATED_POSTINGS_PER_TERM = 50
# The term every indexed article has: its count is how many articles the index holds (the idf's
# N), read with the query's terms rather than counted on every search.
ALL_ARTICLES = ""

_TAG = re.compile(r"<[^>]+>")


def plain_text(html: str) -> str:
    """The words of sanitised HTML: tags dropped and entities (&lt; &amp; &#34;) read back, so
    that a snippet escaped once on the page shows them as the characters they are."""
    return re.sub(r"\s+", " ", unescape(_TAG.sub(" ", html or ""))).strip()


def field_texts(article) -> dict[str, str]:
    """An article's (or a row of its columns') text by field."""
    tags = (article.tags or "").replace(",", " ") + " " + (article.synonyms or "")
    return {"title": article.title, "tags": tags, "category": article.category or "",
            "body": plain_text(article.body)}


def searchable_texts(fields: dict[str, str]) -> tuple[str, str]:
    """An article's normalised text as the ranking reads it: its headline (title, tags, synonyms)
    and the rest (category, body). Kept with the index, so that a search does not normalise its
    hundred candidates again (a sixth of its time)."""
    return (text.normalise(fields["title"] + " " + fields["tags"]),
            text.normalise(fields["category"] + " " + fields["body"]))


def _length_totals() -> tuple[dict[str, int], int]:
    """The indexed articles' terms per field, summed, and how many articles."""
    lengths = FieldLengths.__table__.c
    *sums, articles = db.session.execute(sa.select(
        *(sa.func.coalesce(sa.func.sum(lengths[field]), 0) for field in FIELD_WEIGHTS),
        sa.func.count())).one()
    return dict(zip(FIELD_WEIGHTS, map(int, sums), strict=True)), articles


def _averages(sums: dict[str, int], articles: int) -> dict[str, float]:
    """BM25's average field lengths (1 where there is nothing to average)."""
    return {field: (total / articles if articles else 0.0) or 1.0 for field, total in sums.items()}


class BulkIndexing:
    """What a bulk import carries from one article to the next instead of writing or reading it
    for each: the term counts' changes, and the totals of the field lengths that BM25 averages
    (an AVG over every indexed article for each one made a 20,000-article import quadratic: 2 ms
    an article at the end). Both start afresh after `write`, once per committed batch, so that
    what others saved meanwhile counts from the next batch on."""

    def __init__(self):
        self.term_changes: Counter = Counter()
        self._sums: dict[str, int] | None = None  # read when first needed, then kept up to date
        self._articles = 0

    def lengths_replaced(self, removed: Mapping[str, int] | None, added: Mapping[str, int] | None) -> None:
        """One article's field lengths left the index and/or came in (the database has it)."""
        if self._sums is None:
            return  # read with this change in it, when next needed
        for field in self._sums:
            self._sums[field] += (added[field] if added else 0) - (removed[field] if removed else 0)
        self._articles += (added is not None) - (removed is not None)

    def averages(self) -> dict[str, float]:
        if self._sums is None:
            self._sums, self._articles = _length_totals()
        return _averages(self._sums, self._articles)

    def write(self) -> None:
        """Apply the gathered term counts (before the batch commits)."""
        by_change: dict[int, list[str]] = {}
        for term, change in self.term_changes.items():
            if change:
                by_change.setdefault(change, []).append(term)
        for change, terms in sorted(by_change.items()):
            _count_terms(terms, change)
        self.term_changes.clear()
        self._sums = None


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


def index_article(article: Article, bulk: BulkIndexing | None = None) -> None:
    """(Re)write the postings of one article; unpublished articles leave the index.

    With `bulk` (an import), the term counts' changes are gathered there for `BulkIndexing.write`
    instead of being written now, and the average field lengths are kept there.
    """
    def count(terms: list[str], change: int) -> None:
        if bulk is None:
            _count_terms(terms, change)
        else:
            bulk.term_changes.update({term: change for term in terms})

    old_terms = set(db.session.scalars(sa.select(Posting.term).where(Posting.article_id == article.id)))
    db.session.execute(sa.delete(Posting.__table__).where(Posting.article_id == article.id))
    lengths_table = FieldLengths.__table__
    old_lengths = db.session.execute(
        sa.delete(lengths_table).where(lengths_table.c.article_id == article.id)
        .returning(*(lengths_table.c[field] for field in FIELD_WEIGHTS))).mappings().one_or_none()
    db.session.execute(sa.delete(IndexedText.__table__).where(IndexedText.article_id == article.id))
    published = article.status == "published"
    if published != (old_lengths is not None):
        count([ALL_ARTICLES], +1 if published else -1)
    if not published:
        if bulk is not None:
            bulk.lengths_replaced(old_lengths, None)
        count(list(old_terms), -1)
        return
    fields = field_texts(article)
    counts = {field: text.terms(text.normalise(value)) for field, value in fields.items()}
    lengths = {field: sum(terms.values()) for field, terms in counts.items()}
    db.session.execute(sa.insert(lengths_table), [{"article_id": article.id, **lengths}])
    headline, details = searchable_texts(fields)
    db.session.execute(sa.insert(IndexedText.__table__),
                       [{"article_id": article.id, "headline": headline, "details": details}])
    if bulk is None:
        average = _averages(*_length_totals())
    else:
        bulk.lengths_replaced(old_lengths, lengths)
        average = bulk.averages()
    parts: dict[str, float] = {}
    for field, terms in counts.items():
        for term, tf in terms.items():
            norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths[field] / average[field]))
            parts[term] = parts.get(term, 0.0) + FIELD_WEIGHTS[field] * norm
    parts = {term[:64]: part for term, part in parts.items()}
    insert_rows(Posting.__table__, [{"term": term, "article_id": article.id, "part": round(part, 6)}
                                    for term, part in parts.items()])
    # Only the terms the article lost or gained change their counts: an edit keeps most of them,
    # and counting all of them out and in again was a third of a save on PostgreSQL.
    count(list(old_terms - parts.keys()), -1)
    count(list(parts.keys() - old_terms), +1)


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


@dataclass
class Candidate:
    article_id: int
    ref: str | None
    evidence: dict[str, float]  # ranking.EVIDENCE


def candidates(query: str) -> list[Candidate]:
    """The published articles that share something meaningful with a query, each with the
    evidence ranking.score weighs: BM25 in SQL finds them, their text tells the rest."""
    normalised = text.normalise(query)[:200]
    alternatives = text.synonyms_in(normalised, synonyms())
    factors, idf, meaningful, whole = _bm25_factors(normalised, alternatives)
    if not factors:
        return []
    scores = _bm25_scores(factors, whole=whole)
    own_terms = meaningful & set(text.terms(normalised))  # the query's own, not its synonyms'
    asked = ranking.Query(
        text=normalised, alternatives=alternatives,
        # Its characters, and Latin words whole ("atm"), each with its rarity.
        chars={term[2:]: idf[term] for term in own_terms
               if term.startswith(text.CHAR) or text.is_latin_word(term)},
        pairs={term[2:]: idf[term] for term in own_terms if term.startswith(text.BIGRAM)})
    best = max(scores.values())
    found = []
    rows = db.session.execute(
        sa.select(IndexedText.article_id, Article.ref, IndexedText.headline, IndexedText.details)
        .join(Article, Article.id == IndexedText.article_id)
        .where(IndexedText.article_id.in_(list(scores))))
    for row in rows:
        evidence = ranking.evidence(asked, row.headline, row.headline + " " + row.details,
                                    scores[row.article_id], best)
        if evidence["coverage"] >= ranking.MIN_COVERAGE:
            found.append(Candidate(row.article_id, row.ref, evidence))
    return found


class QueryTerms(NamedTuple):
    factors: dict[str, float]   # the terms that rank → query weight × idf
    idf: dict[str, float]       # every term's
    meaningful: set[str]        # not grammar alone
    whole: set[str]             # of the ranking ones, those a search reads every posting of


def _bm25_factors(normalised: str, alternatives) -> QueryTerms:
    weighted = text.query_terms(normalised, alternatives)
    if not weighted:
        return QueryTerms({}, {}, set(), set())
    frequencies = dict(db.session.execute(
        sa.select(TermStats.term, TermStats.articles).where(TermStats.term.in_([*weighted, ALL_ARTICLES]),
                                                           TermStats.articles > 0)).all())
    documents = frequencies.pop(ALL_ARTICLES, 0)
    idf = {term: math.log(1 + (documents - frequencies.get(term, 0) + 0.5) / (frequencies.get(term, 0) + 0.5))
           for term in weighted}
    meaningful = {term for term in weighted if term[2:] not in ranking.FUNCTION_CHARS}
    factors = {term: weighted[term] * idf[term] for term in meaningful
               if term in frequencies and idf[term] >= MIN_IDF}
    whole = {term for term in factors if frequencies[term] <= POSTINGS_PER_TERM}
    return QueryTerms(factors, idf, meaningful, whole)


def related(article: Article, limit: int = 5) -> list[sa.Row]:
    """The ids and titles of published articles like this one: BM25 over its tags (else its title)
    alone. A search's evidence (reading its hundred candidates' texts) cost an article page two
    thirds of its time, for a list of five titles."""
    normalised = text.normalise(" ".join(article.tag_list) or article.title)[:200]
    factors = _bm25_factors(normalised, text.synonyms_in(normalised, synonyms())).factors
    if not factors:
        return []
    scores = _bm25_scores(factors, best=limit + 1, per_term=RELATED_POSTINGS_PER_TERM)
    ids = sorted((article_id for article_id in scores if article_id != article.id),
                 key=lambda article_id: (-scores[article_id], article_id))[:limit]
    found = {row.id: row for row in db.session.execute(
        sa.select(Article.id, Article.title).where(Article.id.in_(ids)))}
    return [found[article_id] for article_id in ids if article_id in found]


def _bm25_scores(factors: dict[str, float], best: int | None = None, per_term: int | None = None,
                 whole: set[str] | None = None) -> dict[int, float]:
    """The `best` articles (CANDIDATES) by the BM25 sum of `factors` (term → query weight × idf),
    from each term's `per_term` best postings (POSTINGS_PER_TERM). When only some of the terms
    are read `whole`, the DISTINCTIVE_CANDIDATES best by those terms' part come too."""
    best, per_term = best or CANDIDATES, per_term or POSTINGS_PER_TERM
    terms = sorted(factors)
    distinctive = bool(whole) and len(whole) < len(terms)
    # Each term contributes its best-scoring postings only (impact order, one index range each):
    # a common word in thousands of articles costs no more than a rare one. Written as text: the
    # statement differs with every query, and building it as a SQLAlchemy construct cost more
    # than running it.
    def branch(n: int, term: str) -> str:
        # With the distinctive lists, each posting also carries its part of their sum (none if cut).
        extra = (f", part * :f{n}" if term in whole else ", 0.0") + " AS distinctive" if distinctive else ""
        return (f"SELECT * FROM (SELECT article_id, part * :f{n} AS score{extra} "
                f"FROM {Posting.__tablename__} WHERE term = :t{n} "
                f"ORDER BY part DESC, article_id DESC LIMIT {int(per_term)}) AS p{n}")

    branches = " UNION ALL ".join(branch(n, term) for n, term in enumerate(terms))
    if distinctive:  # one statement for both lists: a second cost PostgreSQL 4 ms, a sixth of a search
        statement = sa.text(
            "WITH sums AS (SELECT article_id, SUM(score) AS score, SUM(distinctive) AS distinctive "
            f"FROM ({branches}) AS hits GROUP BY article_id) "
            "SELECT * FROM (SELECT article_id, score FROM sums "
            f"ORDER BY score DESC, article_id LIMIT {int(best)}) AS by_sum UNION "
            "SELECT * FROM (SELECT article_id, score FROM sums WHERE distinctive > 0 "
            f"ORDER BY distinctive DESC, article_id LIMIT {DISTINCTIVE_CANDIDATES}) AS by_distinctive")
    else:
        statement = sa.text(f"SELECT article_id, SUM(score) AS score FROM ({branches}) AS hits "
                            f"GROUP BY article_id ORDER BY score DESC, article_id LIMIT {int(best)}")
    parameters = {}
    for n, term in enumerate(terms):
        parameters.update({f"t{n}": term, f"f{n}": factors[term]})
    # Rounded, so that both databases' sums (summed in different orders) rank alike.
    return {row.article_id: round(row.score, 6) for row in db.session.execute(statement, parameters)}


def search(query: str, limit: int = 10, weights: dict[str, float] = ranking.WEIGHTS) -> list[Hit]:
    """The best published articles for a query, best first."""
    scored = sorted(((round(ranking.score(candidate.evidence, weights), 6), candidate.article_id)
                     for candidate in candidates(query)), key=lambda item: (-item[0], item[1]))[:limit]
    articles = {article.id: article for article in db.session.scalars(
        sa.select(Article).where(Article.id.in_([article_id for _, article_id in scored])))}
    return [Hit(articles[article_id], score) for score, article_id in scored]


def highlight_words(query: str) -> list[str]:
    """The words of a query worth marking in results, longest first (normalised)."""
    normalised = text.normalise(query)
    words = {term[2:] for term in text.terms(normalised) if term.startswith((text.WORD, text.BIGRAM))}
    if not words:
        words = {term[2:] for term in text.terms(normalised)}
    return sorted(words, key=len, reverse=True)
