"""The working calendar every area shares (visits, greetings, callbacks, case deadlines).

A day is a working day as its weekday says, unless the calendar says otherwise: statutory
holidays, and make-up working days (调休, a Saturday or Sunday worked). A year the company has
loaded or corrected (`flask calendar import`, the admin page) is read from the database; any
other year from the `holidays` package (CN), which knows the published years and forecasts the
rest — such a year is shown as unconfirmed.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

import holidays
import sqlalchemy as sa
from flask import Blueprint, g, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crmweb.area import Area
from crmweb.extensions import db
from crmweb.workdays.models import CalendarDay, CalendarYear

bp = Blueprint("workdays", __name__)


@dataclass(frozen=True)
class SpecialDay:
    day: date
    kind: str   # "holiday" | "workday" (a make-up working day on a weekend)
    name: str


@dataclass(frozen=True)
class Year:
    year: int
    confirmed: bool              # from the company's calendar, checked against the notice
    days: dict[date, SpecialDay]


@lru_cache(maxsize=16)
def package_year(year: int) -> Year:
    """The year as the `holidays` package knows it (kept: the package builds it in a tenth of a
    second)."""
    china = holidays.China(years=year, language="zh_CN")
    days = {day: SpecialDay(day, "holiday", name) for day, name in china.items()}
    days.update({day: SpecialDay(day, "workday", "调休上班")
                 for day in china.weekend_workdays if day.year == year})
    return Year(year, confirmed=False, days=days)


def calendar_year(year: int) -> Year:
    """The special days of a year: the company's when it holds the year, else the package's.
    Read once per request (a deadline counts over many days)."""
    cache = g.setdefault("calendar_years", {}) if has_request_context() else {}
    if year not in cache:
        kept = db.session.get(CalendarYear, year)
        if kept is None:
            cache[year] = package_year(year)
        else:
            rows = db.session.scalars(sa.select(CalendarDay).where(
                CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))).all()
            cache[year] = Year(year, kept.confirmed, {row.day: SpecialDay(row.day, row.kind, row.name)
                                                       for row in rows})
    return cache[year]


def is_working_day(day: date) -> bool:
    """Monday to Friday unless a holiday; a Saturday or Sunday only when it is a make-up day."""
    special = calendar_year(day.year).days.get(day)
    if special is not None:
        return special.kind == "workday"
    return day.weekday() < 5


def holiday_name(day: date) -> str | None:
    """The holiday a day belongs to (春节, 国庆节 …), None on an ordinary or a worked day."""
    special = calendar_year(day.year).days.get(day)
    return special.name if special is not None and special.kind == "holiday" else None


def special_days(year: int) -> list[SpecialDay]:
    """The days of a year that are not what their weekday says, in order."""
    return sorted(calendar_year(year).days.values(), key=lambda special: special.day)


LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s+(holiday|workday)(?:\s+(.*))?$")


def parse_lines(lines: list[str]) -> tuple[list[SpecialDay], list[str]]:
    """`YYYY-MM-DD holiday|workday NAME` lines (blank lines and # comments skipped) → the days,
    and the problems by line number."""
    days, problems = [], []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        match = LINE.match(text)
        try:
            day = date.fromisoformat(match.group(1)) if match else None
        except ValueError:
            day = None
        if day is None:
            problems.append(_("第 %(line)s 行：应为“YYYY-MM-DD holiday|workday 名称”。", line=number))
            continue
        if match.group(2) == "workday" and day.weekday() < 5:
            problems.append(_("第 %(line)s 行：%(day)s 不是周末，不必列为调休上班日。", line=number,
                              day=day.isoformat()))
            continue
        days.append(SpecialDay(day, match.group(2), (match.group(3) or "").strip()[:64]))
    return days, problems


def replace_years(days: list[SpecialDay], now: datetime, confirmed: bool = True) -> list[int]:
    """The years these days belong to become exactly these days (the notice replaces what was
    there); returns the years. The caller commits."""
    years = sorted({special.day.year for special in days})
    for year in years:
        db.session.execute(sa.delete(CalendarDay).where(CalendarDay.day >= date(year, 1, 1),
                                                        CalendarDay.day <= date(year, 12, 31)))
        kept = db.session.get(CalendarYear, year) or CalendarYear(year=year)
        kept.confirmed, kept.updated_at = confirmed, now
        db.session.add(kept)
    db.session.add_all(CalendarDay(day=special.day, kind=special.kind, name=special.name) for special in days)
    _forget()
    return years


def _hold(year: int, now: datetime) -> CalendarYear:
    """The company's own copy of a year, taken over from the forecast when it had none."""
    kept = db.session.get(CalendarYear, year)
    if kept is None:
        forecast = calendar_year(year)
        kept = CalendarYear(year=year, confirmed=False, updated_at=now)
        db.session.add(kept)
        db.session.add_all(CalendarDay(day=special.day, kind=special.kind, name=special.name)
                           for special in forecast.days.values())
        db.session.flush()
    return kept


def set_day(day: date, kind: str | None, name: str, now: datetime) -> None:
    """One day corrected by an administrator: a holiday, a make-up working day, or (None) ordinary
    again. The caller commits."""
    kept = _hold(day.year, now)
    db.session.execute(sa.delete(CalendarDay).where(CalendarDay.day == day))
    if kind:
        db.session.add(CalendarDay(day=day, kind=kind, name=name.strip()[:64]))
    kept.updated_at = now
    _forget()


def confirm_year(year: int, now: datetime) -> None:
    """Checked against the State Council's notice: no longer shown as a forecast."""
    kept = _hold(year, now)
    kept.confirmed, kept.updated_at = True, now
    _forget()


def _forget() -> None:
    """This request's copy of the calendar is stale after a change."""
    if has_request_context():
        g.pop("calendar_years", None)


# The calendar as an area: its commands and the administrator's page.
from crmweb.workdays import routes  # noqa: E402,F401
from crmweb.workdays.commands import calendar_cli  # noqa: E402

area = Area(bp, commands=(calendar_cli,), menu=(("workdays.calendar_page", _l("工作日历")),),
            audit_actions={"calendar.changed": _l("修改工作日历")})
