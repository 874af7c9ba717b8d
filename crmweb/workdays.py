"""The working calendar: China's statutory holidays and the State Council's make-up working days
(调休, a Saturday or Sunday worked), from the `holidays` package. Bookings, callbacks, cases and
messages all ask it."""
from datetime import date
from functools import lru_cache

import holidays


@lru_cache(maxsize=8)
def _china(year: int) -> holidays.HolidayBase:
    return holidays.China(years=year, language="zh_CN")


def is_working_day(day: date) -> bool:
    """Monday to Friday unless a holiday; a Saturday or Sunday only when it is a make-up day."""
    return _china(day.year).is_working_day(day)


def holiday_name(day: date) -> str | None:
    """The holiday a day belongs to (春节, 国庆节 …), None on an ordinary day."""
    return _china(day.year).get(day)
