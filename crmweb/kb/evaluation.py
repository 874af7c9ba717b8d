"""The knowledge base's relevance, measured as a new user's questions would be.

A score measured on the queries its weights were chosen on says how well the ranking learned
those queries, not how it will do tomorrow. So the labelled queries are split into folds; for
each fold the weights of ranking.py are chosen on the other folds and MRR@10 is measured on it.
The mean over the folds (cross-validated MRR@10) is the figure reported and tested, beside plain
character overlap on the same queries. ranking.WEIGHTS are what `fit_weights` chooses on all of
them.
"""
import itertools
import random

from crmweb.kb import ranking, search
from crmweb.kb.text import normalise

WEIGHT_GRID = (0.0, 1.0, 2.0)
FOLDS = 5
SEEDS = (1, 2, 3)  # three different splits into folds, averaged: one split can be lucky
TOP = 10

# One query's candidates: (ref, article id, evidence), as search.candidates found them.
Found = list[tuple[str, int, dict[str, float]]]


def reciprocal_rank(ranked: list[str], relevant: list[str]) -> float:
    return next((1 / rank for rank, ref in enumerate(ranked[:TOP], 1) if ref in relevant), 0.0)


def gather(queries: list[dict]) -> dict[str, Found]:
    """Every query's candidates and their evidence, read once from the index (in an app context)."""
    return {query["q"]: [(c.ref, c.article_id, c.evidence) for c in search.candidates(query["q"])]
            for query in queries}


def ranked(found: Found, weights: dict[str, float]) -> list[str]:
    """The refs in the order search.search gives them with these weights."""
    scored = sorted(found, key=lambda item: (-round(ranking.score(item[2], weights), 6), item[1]))
    return [ref for ref, _, _ in scored[:TOP]]


def mean_reciprocal_rank(found: dict[str, Found], queries: list[dict], weights: dict[str, float]) -> float:
    return sum(reciprocal_rank(ranked(found[q["q"]], weights), q["relevant"]) for q in queries) / len(queries)


def fit_weights(found: dict[str, Found], queries: list[dict]) -> dict[str, float]:
    """The weights of the grid that rank `queries` best; among equals, the ones nearest to weighing
    every piece of evidence alike (the choice that assumes least about the data)."""
    best, best_key = None, None
    for values in itertools.product(WEIGHT_GRID, repeat=len(ranking.EVIDENCE)):
        if not any(values):
            continue
        weights = dict(zip(ranking.EVIDENCE, values, strict=True))
        key = (-mean_reciprocal_rank(found, queries, weights), sum(abs(v - 1.0) for v in values), values)
        if best_key is None or key < best_key:
            best, best_key = weights, key
    return best


def folds(queries: list[dict], seed: int) -> list[list[dict]]:
    shuffled = list(queries)
    random.Random(seed).shuffle(shuffled)
    return [shuffled[k::FOLDS] for k in range(FOLDS)]


def cross_validated_mrr(found: dict[str, Found], queries: list[dict]) -> float:
    """MRR@10 on each fold with the weights fitted on the other folds, over several splits."""
    total = 0.0
    for seed in SEEDS:
        for held_out in folds(queries, seed):
            training = [query for query in queries if query not in held_out]
            weights = fit_weights(found, training)
            total += mean_reciprocal_rank(found, held_out, weights) * len(held_out)
    return total / (len(queries) * len(SEEDS))


def char_overlap_mrr(articles: list[dict], queries: list[dict]) -> float:
    """The baseline: rank by how many of the query's distinct characters an article contains."""
    texts = {a["ref"]: normalise(a["title"] + " ".join(a.get("tags", [])) + a["body"]) for a in articles}
    total = 0.0
    for query in queries:
        chars = set(normalise(query["q"]))
        order = sorted(texts, key=lambda ref: (-sum(ch in texts[ref] for ch in chars), ref))
        total += reciprocal_rank(order, query["relevant"])
    return total / len(queries)
