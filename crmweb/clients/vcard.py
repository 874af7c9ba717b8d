"""Reading vCard 2.1, 3.0 and 4.0 as phones export them.

Written here because the vCard library on PyPI (vobject) cannot read what older Android phones
write: vCard 2.1 with QUOTED-PRINTABLE values whose soft line breaks span several lines.
"""
import quopri
import re
from dataclasses import dataclass, field

_LINE = re.compile(r"^(?:[\w-]+\.)?(?P<name>[\w-]+)(?P<params>(?:;[^:]*)?):(?P<value>.*)$", re.S)


@dataclass
class Card:
    line: int                      # where the card starts in the file, for messages
    name: str = ""
    family: str = ""
    given: str = ""
    org: str = ""
    unit: str = ""
    title: str = ""
    phones: list[tuple[set[str], str]] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    birthday: str = ""
    address: str = ""
    note: str = ""


def _logical_lines(text: str):
    """Unfold folded lines (RFC 2425) and quoted-printable soft breaks; yields (line_no, line)."""
    pending, start, quoted = None, 0, False
    for number, raw in enumerate(text.splitlines(), start=1):
        if pending is not None and raw[:1] in (" ", "\t") and not quoted:
            pending += raw[1:]
            continue
        if pending is not None and quoted and pending.endswith("="):
            pending = pending[:-1] + raw.lstrip()
            continue
        if pending is not None:
            yield start, pending
        pending, start = raw, number
        quoted = "QUOTED-PRINTABLE" in raw.split(":", 1)[0].upper()
    if pending is not None:
        yield start, pending


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
    return types, named


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\,;nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _value(raw: str, named: dict[str, str]) -> str:
    if named.get("ENCODING", "").upper() in ("QUOTED-PRINTABLE", "Q"):
        charset = named.get("CHARSET", "utf-8")
        try:
            return quopri.decodestring(raw.encode("ascii", "replace")).decode(charset, "replace")
        except LookupError:
            return quopri.decodestring(raw.encode("ascii", "replace")).decode("utf-8", "replace")
    return raw


def _components(value: str) -> list[str]:
    return [_unescape(part).strip() for part in re.split(r"(?<!\\);", value)]


def _address(parts: list[str]) -> str:
    """ADR is box; extended; street; city; region; postcode; country. Chinese reads big to small."""
    box, extended, street, city, region, _postcode, country = parts[:7]
    if any("\u4e00" <= ch <= "\u9fff" for ch in "".join(parts)):
        return "".join([country, region, city, street, extended, box]).strip()
    return ", ".join(p for p in (box, extended, street, city, region, country) if p)


def read_cards(text: str) -> list[Card]:
    cards, card = [], None
    for number, line in _logical_lines(text):
        match = _LINE.match(line)
        if not match:
            continue
        name = match["name"].upper()
        if name == "BEGIN" and match["value"].strip().upper() == "VCARD":
            card = Card(line=number)
            continue
        if card is None:
            continue
        if name == "END":
            cards.append(card)
            card = None
            continue
        types, named = _params(match["params"] or "")
        value = _value(match["value"], named)
        if name == "FN":
            card.name = _unescape(value).strip()
        elif name == "N":
            parts = _components(value) + ["", ""]
            card.family, card.given = parts[0], parts[1]
        elif name == "ORG":
            parts = [p for p in _components(value) if p] or [""]
            card.org, card.unit = parts[0], " ".join(parts[1:])
        elif name == "TITLE":
            card.title = _unescape(value).strip()
        elif name == "TEL":
            number_text = value.strip()
            if number_text.lower().startswith("tel:"):
                number_text = number_text[4:]
            card.phones.append((types, number_text))
        elif name == "EMAIL":
            card.emails.append(value.strip())
        elif name == "BDAY":
            card.birthday = value.strip()
        elif name == "ADR":
            card.address = _address(_components(value) + [""] * 7)
        elif name == "NOTE":
            card.note = _unescape(value).strip()
    return cards
