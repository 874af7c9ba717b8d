"""Pinyin of client and contact names, for search by full spelling and by initials.

pypinyin reads words well but has no surname mode: 曾 in a person's name is zēng, not céng.
The table below holds the common surnames whose reading as a surname differs from pypinyin's
default; everything after the surname is left to pypinyin.
"""
import os
import unicodedata
from functools import lru_cache

# Surname → its reading as a surname, a syllable per character; the longest match wins.
SURNAME_READINGS = {
    "万俟": "mo qi", "尉迟": "yu chi", "单于": "chan yu", "长孙": "zhang sun", "澹台": "tan tai",
    "曾": "zeng", "单": "shan", "仇": "qiu", "解": "xie", "区": "ou", "查": "zha", "朴": "piao",
    "乐": "yue", "覃": "qin", "盖": "ge", "缪": "miao", "翟": "zhai", "重": "chong", "秘": "bi",
    "冼": "xian", "过": "guo", "纪": "ji", "燕": "yan", "种": "chong", "繁": "po", "瞿": "qu",
    "折": "she", "那": "na", "柏": "bai", "牟": "mou", "阚": "kan", "宿": "su", "卜": "bu",
    "沈": "shen", "贾": "jia", "薄": "bo", "尉": "yu", "隗": "wei", "句": "gou", "员": "yun",
    "召": "shao", "祭": "zhai", "莘": "shen", "洗": "xian", "黑": "he", "能": "nai", "相": "xiang",
    "任": "ren", "华": "hua", "石": "shi", "盛": "sheng", "茌": "chi", "调": "diao", "藏": "zang",
}
_LONGEST_SURNAME = max(len(s) for s in SURNAME_READINGS)


def normalise(text: str) -> str:
    """Width, case and spacing folded: 'ＡＢＣ  公司' and 'abc公司' compare equal."""
    return "".join(unicodedata.normalize("NFKC", text or "").lower().split())


@lru_cache(maxsize=8192)
def pinyin_syllables(text: str, person: bool = False) -> tuple[str, ...]:
    """One lowercase syllable per Chinese character; other characters pass through as runs.

    Cached: an import or a reindex asks for the same name several times (keys, sort key).
    """
    # Loaded on first use: it is slow to import. We never change its dictionaries, so it need
    # not copy them (saves a tenth of a second on every start).
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "true")
    from pypinyin import lazy_pinyin  # noqa: PLC0415 (its phrase dictionary takes a while to load: only when names are indexed)

    text = normalise(text)
    head: list[str] = []
    if person:
        for length in range(_LONGEST_SURNAME, 0, -1):
            reading = SURNAME_READINGS.get(text[:length])
            if reading:
                head = reading.split()
                text = text[length:]
                break
    return tuple(head + [s for s in lazy_pinyin(text, errors="default") if s.strip()])


def pinyin_forms(text: str, person: bool = False) -> tuple[str, str]:
    """('xuzhouhuatong', 'xzht') for 徐州华通."""
    syllables = pinyin_syllables(text, person)
    return "".join(syllables), "".join(s[0] for s in syllables if s)
