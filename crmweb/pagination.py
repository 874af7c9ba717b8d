"""Offset paging for list pages: one COUNT and one page of rows, whatever the table's size."""
from dataclasses import dataclass

import sqlalchemy as sa

from crmweb.extensions import db


@dataclass
class Page:
    items: list
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_number(raw_number, total: int, size: int) -> int:
    """The page to show: `raw_number` comes from the URL; anything that is not a page number means
    page 1, and past the last page means the last page."""
    try:
        number = max(1, int(raw_number))
    except (TypeError, ValueError):
        number = 1
    return min(number, max(1, -(-total // size)))


def paginate(query, raw_number, size: int, rows: bool = False) -> Page:
    """A page of the query's first column, or of its whole rows (`rows`)."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    number = page_number(raw_number, total, size)
    paged = query.limit(size).offset((number - 1) * size)
    items = (db.session.execute(paged) if rows else db.session.scalars(paged)).all()
    return Page(items=items, number=number, size=size, total=total)
