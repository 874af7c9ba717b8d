"""Ids and other whole numbers as they arrive in URLs and forms: ASCII digits, within the range
of an id column.

A number beyond that range names no record; passed to the database it would be an overflow error
(SQLite) or an out-of-range error (PostgreSQL's 32-bit integers), so it is refused here.
"""
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


def whole_number(raw, maximum: int = MAX_ID) -> int | None:
    """A positive whole number up to `maximum` written in ASCII digits ('²' is a digit to
    str.isdigit but not to int), else None."""
    text = raw if isinstance(raw, str) else ""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)):
        return None
    value = int(text)
    return value if 0 < value <= maximum else None


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: a number beyond any id is a 404 like any unknown id."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def coerce_id(value) -> int:
    """`coerce` for a select of records: what cannot be an id is the field's invalid-choice error."""
    number = value if isinstance(value, int) else whole_number(value)
    if number is None or not 0 < number <= MAX_ID:
        raise ValueError(value)
    return number
