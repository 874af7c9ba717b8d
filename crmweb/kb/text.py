"""Chinese text for the knowledge base: normalise, cut into weighted terms, expand synonyms.

Pure functions (no Flask, no database), the same for indexing and for queries, so that the
index and a query always agree. Traditional characters are folded to simplified (OpenCC), full
width to half width (NFKC). A text gives three kinds of terms, each weighted:

- words from jieba's search mode ("w:报修"), the strongest evidence;
- character bigrams ("b:报修"), which find two-character words jieba cut differently;
- single characters ("c:修"), weak, so that a one-character query still finds something.
"""
import itertools
import re
import unicodedata
from collections import Counter
from functools import lru_cache

from markupsafe import Markup, escape

WORD, BIGRAM, CHAR = "w:", "b:", "c:"
QUERY_WEIGHTS = {WORD: 1.0, BIGRAM: 0.5, CHAR: 0.15}
SYNONYM_WEIGHT = 0.8  # a synonym counts a little less than the word typed

_CJK_OR_WORD = re.compile(r"[\u3400-\u9fff]+|[a-z0-9]+(?:[.\-][a-z0-9]+)*")
_CJK = re.compile(r"[\u3400-\u9fff]")

@lru_cache(maxsize=1)
def _converter():
    import opencc  # noqa: PLC0415 (its dictionaries take a while to load: warmed up in the background)

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _jieba():
    import jieba  # noqa: PLC0415 (its dictionary takes a while to load: warmed up in the background)

    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba


def normalise(text: str) -> str:
    """Full width → half width, lower case, traditional → simplified."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _converter().convert(text) if _CJK.search(text) else text


def terms(text: str) -> Counter:
    """Term frequencies of a normalised text: words, bigrams and characters."""
    counts: Counter = Counter()
    for run in _CJK_OR_WORD.findall(text):
        if not _CJK.match(run):
            counts[WORD + run] += 1
            continue
        for word in _jieba().cut_for_search(run):
            if len(word) > 1:
                counts[WORD + word] += 1
        counts.update(BIGRAM + run[i:i + 2] for i in range(len(run) - 1))
        counts.update(CHAR + ch for ch in run)
    return counts


def synonyms_in(text: str, synonyms: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(phrase, synonym) for each phrase of a normalised text that has synonyms."""
    return [(phrase, alternative) for phrase, alternatives in synonyms.items() if phrase in text
            for alternative in sorted(alternatives)]


def query_terms(text: str, alternatives: list[tuple[str, str]]) -> dict[str, float]:
    """Each term of a normalised query with its weight; its phrases' synonyms join at a lower weight."""
    weighted: dict[str, float] = {}

    def add(term: str, weight: float):
        weighted[term] = max(weight, weighted.get(term, 0.0))

    for term in terms(text):
        add(term, QUERY_WEIGHTS[term[:2]])
    for _phrase, alternative in alternatives:
        for term in terms(alternative):
            add(term, QUERY_WEIGHTS[term[:2]] * SYNONYM_WEIGHT)
    return weighted


def is_latin_word(term: str) -> bool:
    return term.startswith(WORD) and not _CJK.match(term[2:])


def parse_synonym_line(line: str) -> list[str]:
    """'报修 = 维修 = 修理' (or with ，, 、 /) → ['报修', '维修', '修理'], normalised."""
    parts = re.split(r"[=＝,，、/;；\s]+", line)
    return list(dict.fromkeys(normalise(p) for p in parts if p.strip()))


def synonym_map(groups: list[list[str]]) -> dict[str, set[str]]:
    mapping: dict[str, set[str]] = {}
    for group in groups:
        for word in group:
            mapping.setdefault(word, set()).update(w for w in group if w != word)
    return mapping




# What a pinyin input method shows while a word is being composed: syllables joined by ' ("bao'xiu").
_COMPOSING = re.compile(r"[a-z]+(?:'[a-z]+)+")


def is_composing(query: str) -> bool:
    """Whether the query is an input method's unfinished composition, not words anybody meant."""
    return bool(_COMPOSING.search(query.lower()))


@lru_cache(maxsize=16384)  # the characters of the articles shown: a few thousand
def _normalised_character(ch: str) -> str:
    return normalise(ch)


def highlight(original: str, words: list[str]):
    """`original` as safe HTML with every occurrence of `words` (normalised) in <mark>."""

    text = original or ""
    # Normalise character by character, so that positions map back to the original text.
    normalised, owner = [], []
    for index, ch in enumerate(text):
        folded = _normalised_character(ch)
        normalised.append(folded)
        owner.extend([index] * len(folded))
    flat = "".join(normalised)
    marked = [False] * len(text)
    for word in words:
        start = flat.find(word)
        while word and start >= 0:
            for position in range(start, start + len(word)):
                marked[owner[position]] = True
            start = flat.find(word, start + len(word))
    pieces = []
    for is_marked, run in itertools.groupby(zip(text, marked, strict=True), key=lambda pair: pair[1]):
        piece = escape("".join(ch for ch, _marked in run))
        pieces.append(Markup("<mark>%s</mark>") % piece if is_marked else piece)
    return Markup("").join(pieces)


def snippet(plain: str, words: list[str], width: int = 80) -> str:
    """A window of `plain` around the first matched word."""
    flat = normalise(plain)
    positions = [p for p in (flat.find(w) for w in words) if p >= 0]
    start = max(0, min(positions) - width // 4) if positions else 0
    piece = plain[start:start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(plain) else "")


def warm_up() -> None:
    """Load jieba's dictionary and OpenCC (about a second) before the first search needs them."""
    _jieba()
    _converter()
