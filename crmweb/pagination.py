"""Offset paging for list pages: one COUNT and one page of rows, whatever the table's size.

The count stops COUNT_AHEAD rows past the start of the page asked for: a list longer than that
says "more than N" instead of counting to its end (counting all of 100,000 clients was a quarter of
the client list's time on PostgreSQL), and its next pages stay reachable one after another.
"""
from dataclasses import dataclass

import sqlalchemy as sa

from crmweb.extensions import db

COUNT_AHEAD = 1_000  # fifty pages of twenty: past them people search or filter, they do not page
MAX_PAGE = 10**9  # past any table's end; keeps a URL's 99999999999999999999 a number the database takes


@dataclass
class Page:
    items: list
    number: int
    size: int
    total: int
    more: bool = False  # the list goes on past `total`: the count stopped there

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def requested_page(raw_number) -> int:
    """The page number in the URL; anything that is not one means page 1."""
    try:
        return min(max(1, int(raw_number)), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def page_number(raw_number, total: int, size: int) -> int:
    """The page to show: the one asked for (`requested_page`), and past the last page the last."""
    return min(requested_page(raw_number), max(1, -(-total // size)))


def counted(query, raw_number, size: int) -> tuple[int, bool]:
    """The query's rows counted up to COUNT_AHEAD past the start of the page asked for: (the count,
    whether there are more)."""
    limit = (requested_page(raw_number) - 1) * size + COUNT_AHEAD
    found = db.session.scalar(sa.select(sa.func.count()).select_from(
        query.order_by(None).limit(limit + 1).subquery()))
    return (limit, True) if found > limit else (found, False)


def paginate(query, raw_number, size: int, rows: bool = False) -> Page:
    """A page of the query's first column, or of its whole rows (`rows`)."""
    total, more = counted(query, raw_number, size)
    number = page_number(raw_number, total, size)
    paged = query.limit(size).offset((number - 1) * size)
    items = (db.session.execute(paged) if rows else db.session.scalars(paged)).all()
    return Page(items=items, number=number, size=size, total=total, more=more)
