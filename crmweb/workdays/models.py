"""The working calendar as data: the days that are not what their weekday says (holidays, and
make-up working days on a weekend), by year, as the State Council publishes them."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from crmweb.database import allowed_values
from crmweb.extensions import db
from crmweb.timeutil import UTCDateTime

DAY_KINDS = ("holiday", "workday")


class CalendarYear(db.Model):
    """A year the company's calendar holds; without one, the `holidays` package answers."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    # Loaded from the State Council's notice (or checked by a person): not a forecast.
    confirmed: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CalendarDay(db.Model):
    __tablename__ = "calendar_days"
    __table_args__ = (*allowed_values("kind", DAY_KINDS),)

    day: Mapped[date] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))  # holiday | workday (a weekend day worked)
    name: Mapped[str] = mapped_column(sa.String(64), default="")
