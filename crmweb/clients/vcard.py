"""Reading vCard 2.1, 3.0 and 4.0 as phones, mail clients and address books write them.

Written here because the vCard library on PyPI (vobject) cannot read what older phones write:
vCard 2.1 with QUOTED-PRINTABLE values whose soft line breaks span several lines, and a
CHARSET per property (Japanese and Chinese feature phones write SHIFT_JIS or GB2312 there).

The file is read as bytes: lines are unfolded before anything is decoded, so a fold that splits
a multi-byte character joins it again, and each value is decoded with the charset it declares.
"""
import base64
import binascii
import codecs
import re
from dataclasses import dataclass, field

_LINE = re.compile(rb"^(?:[\w-]+\.)?(?P<name>[\w-]+)(?P<params>(?:;[^:]*)?):(?P<value>.*)$", re.S)
_LINE_BREAK = re.compile(rb"\r\n|\n|\r")
MOBILE_TYPES = frozenset({"cell", "mobile", "iphone"})


@dataclass
class Card:
    line: int                      # where the card starts in the file, for messages
    name: str = ""
    family: str = ""
    given: str = ""
    org: str = ""
    unit: str = ""
    title: str = ""
    phones: list[tuple[bool, str]] = field(default_factory=list)   # (typed as a mobile, as written)
    emails: list[str] = field(default_factory=list)
    birthday: str = ""
    address: str = ""
    note: str = ""


def _logical_lines(data: bytes):
    """Unfold folded lines (RFC 2425/6350) and quoted-printable soft breaks; yields (line_no, bytes).

    Parts are collected in lists and joined once: joining as they come would copy the growing
    line again for every part (a long quoted-printable value would take minutes).
    """
    parts: list[bytes] | None = None
    start, quoted = 0, False
    for number, raw in enumerate(_LINE_BREAK.split(data), start=1):
        if parts is not None and quoted and parts[-1].endswith(b"="):
            parts[-1] = parts[-1][:-1]
            parts.append(raw.lstrip(b" \t"))
            continue
        if parts is not None and raw[:1] in (b" ", b"\t"):
            parts.append(raw[1:])
            continue
        if parts is not None:
            yield start, b"".join(parts)
        parts, start = [raw], number
        quoted = b"QUOTED-PRINTABLE" in raw.split(b":", 1)[0].upper()
    if parts is not None:
        yield start, b"".join(parts)


def _params(text: str) -> tuple[set[str], dict[str, str]]:
    types, named = set(), {}
    for part in filter(None, text.split(";")):
        key, _, value = part.partition("=")
        if not value:  # vCard 2.1 bare parameters: TEL;CELL;VOICE
            types.add(key.strip().lower())
        elif key.strip().upper() == "TYPE":
            types.update(v.strip().strip('"').lower() for v in value.split(","))
        else:
            named[key.strip().upper()] = value.strip().strip('"')
    if "quoted-printable" in types:
        named["ENCODING"] = "QUOTED-PRINTABLE"
    if "base64" in types:
        named["ENCODING"] = "BASE64"
    return types, named


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\,;nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _known_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode(raw: bytes, charset: str | None, default: str) -> str:
    """The declared charset first, then UTF-8, then the file's own; never an exception."""
    for encoding in dict.fromkeys(filter(None, (charset, "utf-8", default))):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode(charset or default, "replace")


def _value(raw: bytes, named: dict[str, str], default: str) -> str:
    encoding = named.get("ENCODING", "").upper()
    if encoding in ("QUOTED-PRINTABLE", "Q"):
        raw = binascii.a2b_qp(raw)  # linear, in C
    elif encoding in ("BASE64", "B"):
        try:
            raw = base64.b64decode(raw, validate=False)
        except (binascii.Error, ValueError):
            return ""
    return _decode(raw, _known_codec(named.get("CHARSET")), default)


def _components(value: str) -> list[str]:
    return [_unescape(part).strip() for part in re.split(r"(?<!\\);", value)]


def _address(parts: list[str]) -> str:
    """ADR is box; extended; street; city; region; postcode; country. Chinese reads big to small."""
    box, extended, street, city, region, _postcode, country = parts[:7]
    if any("\u4e00" <= ch <= "\u9fff" for ch in "".join(parts)):
        return "".join([country, region, city, street, extended, box]).strip()
    return ", ".join(p for p in (box, extended, street, city, region, country) if p)


def file_charset(data: bytes) -> str:
    """What undeclared values are written in: UTF-8 if the whole file is, else the charset the
    file declares most (phones declare it on the fields that need it), else GB18030, which
    Chinese phones write without saying so."""
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    declared = [_known_codec(name.decode("ascii"))
                for name in re.findall(rb";CHARSET=\"?([\w-]+)", data, flags=re.I)]
    counts: dict[str, int] = {}
    for codec in filter(None, declared):
        counts[codec] = counts.get(codec, 0) + 1
    others = {codec: n for codec, n in counts.items() if codec != "utf-8"}
    if others:
        return max(others, key=others.get)
    # A file that says it is UTF-8 and has a broken byte stays UTF-8 (the byte is replaced).
    return "utf-8" if counts else "gb18030"


# Properties whose values are never needed: skipped before decoding (photos are most of a file).
_SKIPPED = frozenset({b"PHOTO", b"LOGO", b"SOUND", b"KEY", b"AGENT"})


def read_cards(data: bytes) -> list[Card]:
    default = file_charset(data)
    cards, card = [], None
    for number, line in _logical_lines(data):
        match = _LINE.match(line)
        if not match:
            continue
        name = match["name"].upper()
        if name == b"BEGIN" and match["value"].strip().upper() == b"VCARD":
            card = Card(line=number)
            continue
        if card is None or name in _SKIPPED:
            continue
        if name == b"END":
            cards.append(card)
            card = None
            continue
        types, named = _params(match["params"].decode("latin-1") if match["params"] else "")
        value = _value(match["value"], named, default)
        if name == b"FN":
            card.name = _unescape(value).strip()
        elif name == b"N":
            parts = _components(value) + ["", ""]
            card.family, card.given = parts[0], parts[1]
        elif name == b"ORG":
            parts = [p for p in _components(value) if p] or [""]
            card.org, card.unit = parts[0], " ".join(parts[1:])
        elif name == b"TITLE":
            card.title = _unescape(value).strip()
        elif name == b"TEL":
            number_text = value.strip()
            if number_text.lower().startswith("tel:"):
                number_text = number_text[4:]
            if number_text:
                card.phones.append((bool(types & MOBILE_TYPES), number_text))
        elif name == b"EMAIL":
            card.emails.append(value.strip())
        elif name == b"BDAY":
            card.birthday = value.strip()
        elif name == b"ADR":
            card.address = _address(_components(value) + [""] * 7)
        elif name == b"NOTE":
            card.note = _unescape(value).strip()
    return cards
