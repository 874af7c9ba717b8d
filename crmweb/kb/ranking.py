"""How the knowledge base orders what a query found: five pieces of evidence, combined.

search.py finds the candidates (BM25 over words, character pairs and rare characters, in SQL);
this module scores each candidate from its text. Pure functions: no Flask, no database.

- bm25: the candidate's BM25 sum over the query's terms, as a share of the best candidate's;
- coverage: how much of the query the article holds: the query's characters, each counted by its
  rarity (idf), so that a product name many articles share weighs less than the word for the
  fault; a word of the query counts as present when one of its synonyms is;
- headline: the same coverage over the title and tags alone (what the article is about);
- adjacency: the same over the query's character pairs (characters found side by side);
- run: the longest piece of the query found whole in the article, as a share of the query.

No one of them is enough alone: BM25 lets a frequent product name drown the rest, coverage
cannot tell an article about a thing from one that mentions it. WEIGHTS are chosen on folds of
the labelled set and the score is reported on the folds left out (kb/evaluation.py, README).
"""
from dataclasses import dataclass

EVIDENCE = ("bm25", "coverage", "headline", "adjacency", "run")
# Chosen by `evaluation.fit_weights` on the whole labelled set; its cross-validated MRR@10 is the
# figure to trust (tests/kb/test_search.py, `make bench`).
WEIGHTS = {"bm25": 1.0, "coverage": 1.0, "headline": 1.0, "adjacency": 1.0, "run": 1.0}
# A synonym found in place of a word of the query counts a little less than the word itself.
SYNONYM_CREDIT = 0.8
# Below this share of the query (rarity-weighted) an article shares nothing meaningful with it.
MIN_COVERAGE = 0.2

# Characters of grammar (particles, pronouns, question words) that say nothing of the topic:
# any Chinese text has them, so they must not make an article look like it covers a question.
FUNCTION_CHARS = frozenset("的了吗呢吧啊呀么嘛怎什是在有和与或就都也还能会要可以把被让给对这那哪个些"
                           "之其为于而及等我你他她它们您请该如何多少几时候样")


@dataclass
class Query:
    text: str                             # normalised (simplified, half width, lower case)
    chars: dict[str, float]               # each meaningful character of the query → its idf
    pairs: dict[str, float]               # each pair of adjacent characters → its idf
    alternatives: list[tuple[str, str]]   # (a phrase of the query, a synonym of it)


def _covered(query: Query, weights: dict[str, float], text: str) -> float:
    """The rarity-weighted share of `weights`' keys (characters or pairs) found in `text`;
    those of a query phrase whose synonym `text` holds count for SYNONYM_CREDIT."""
    total = sum(weights.values())
    if not total:
        return 0.0
    by_synonym = "".join(phrase for phrase, synonym in query.alternatives if synonym in text)
    found = 0.0
    for piece, weight in weights.items():
        if piece in text:
            found += weight
        elif piece in by_synonym:
            found += SYNONYM_CREDIT * weight
    return found / total


def _longest_run(query: str, text: str) -> int:
    """Length of the longest piece of `query` that `text` holds whole."""
    longest = 0
    for start in range(len(query)):
        end = start + longest + 1
        while end <= len(query) and query[start:end] in text:
            longest, end = end - start, end + 1
    return longest


def evidence(query: Query, headline: str, everything: str, bm25: float, best_bm25: float) -> dict[str, float]:
    """The five pieces of evidence for one candidate: `headline` is its normalised title and tags,
    `everything` all its normalised text."""
    return {
        "bm25": bm25 / best_bm25 if best_bm25 else 0.0,
        "coverage": _covered(query, query.chars, everything),
        "headline": _covered(query, query.chars, headline),
        "adjacency": _covered(query, query.pairs, everything) if query.pairs
        else _covered(query, query.chars, everything),
        "run": _longest_run(query.text, everything) / len(query.text) if query.text else 0.0,
    }


def score(found: dict[str, float], weights: dict[str, float] = WEIGHTS) -> float:
    return sum(weights[name] * found[name] for name in EVIDENCE)
