"""Service cases as pure functions: no Flask, no database.

Deadlines run in working time: over the working hours (09:00–12:00, 13:30–18:00 by default) of
working days (the shared calendar: holidays off, make-up Saturdays on). Waiting for the client
pauses the clock; the working minutes spent waiting push the deadline back. A deadline is breached
at its instant; a breach escalates the case one level (the owner → supervisors → managers).
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class Kind(StrEnum):
    COMPLAINT = "complaint"  # 投诉
    REPAIR = "repair"  # 报修
    QUESTION = "question"  # 咨询
    PROPOSAL = "proposal"  # 提案


class Severity(StrEnum):
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Cause(StrEnum):
    """Why the client complained: the churn analysis counts them."""

    QUALITY = "quality"
    DELIVERY = "delivery"
    INSTALLATION = "installation"
    ATTITUDE = "attitude"
    PRICE = "price"
    BILLING = "billing"
    OTHER = "other"


class Status(StrEnum):
    OPEN = "open"
    WAITING = "waiting"  # for the client: the clock is paused
    RESOLVED = "resolved"  # waiting for the client to confirm in a callback
    CLOSED = "closed"  # confirmed by the client


class Unit(StrEnum):
    HOURS = "hours"  # working hours
    DAYS = "days"  # working days (the working hours of a day, each)


class Deadline(StrEnum):
    RESPONSE = "response"
    RESOLUTION = "resolution"


MAX_LEVEL = 2  # 0 the owner, 1 supervisors, 2 managers
ANY = ""  # a deadline row for any severity or any tier


@dataclass(frozen=True)
class Span:
    starts: time
    ends: time


def parse_hours(text: str) -> tuple[Span, ...]:
    """ "09:00-12:00,13:30-18:00" → the day's working spans, in order; ValueError when it is not
    that shape, when a span ends before it starts or overlaps the one before."""
    spans = []
    for part in (piece.strip() for piece in text.split(",") if piece.strip()):
        start, end = (time.fromisoformat(value.strip()) for value in part.split("-"))
        if end <= start or (spans and start < spans[-1].ends):
            raise ValueError(part)
        spans.append(Span(start, end))
    if not spans:
        raise ValueError(text)
    return tuple(spans)


def day_minutes(hours: tuple[Span, ...]) -> int:
    return sum(
        (datetime.combine(date.min, span.ends) - datetime.combine(date.min, span.starts)).seconds // 60
        for span in hours
    )


def limit_minutes(amount: int, unit: str, hours: tuple[Span, ...]) -> int:
    return amount * (day_minutes(hours) if unit == Unit.DAYS else 60)


LONGEST_SEARCH = 400  # days: a deadline further than this is a mistake in the table


def _periods(day: date, hours: tuple[Span, ...], zone: ZoneInfo):
    for span in hours:
        yield datetime.combine(day, span.starts, tzinfo=zone), datetime.combine(day, span.ends, tzinfo=zone)


def add_working_minutes(
    start: datetime,
    minutes: float,
    hours: tuple[Span, ...],
    is_working_day: Callable[[date], bool],
    zone: ZoneInfo,
) -> datetime:
    """The instant by which `minutes` of working time have passed since `start`."""
    start = start.astimezone(zone)
    remaining = minutes
    day = start.date()
    for _ in range(LONGEST_SEARCH):
        if is_working_day(day):
            for begins, ends in _periods(day, hours, zone):
                if ends <= start:
                    continue
                begins = max(begins, start)
                available = (ends - begins).total_seconds() / 60
                if remaining <= available:
                    return begins + timedelta(minutes=remaining)
                remaining -= available
        day += timedelta(days=1)
    raise ValueError("deadline beyond the calendar's reach")


def working_minutes_between(
    first: datetime,
    last: datetime,
    hours: tuple[Span, ...],
    is_working_day: Callable[[date], bool],
    zone: ZoneInfo,
) -> float:
    """Working minutes from `first` to `last` (0 when `last` is not after `first`)."""
    first, last = first.astimezone(zone), last.astimezone(zone)
    total, day = 0.0, first.date()
    while day <= last.date():
        if is_working_day(day):
            for begins, ends in _periods(day, hours, zone):
                overlap = (min(ends, last) - max(begins, first)).total_seconds() / 60
                total += max(0.0, overlap)
        day += timedelta(days=1)
    return total


@dataclass(frozen=True)
class Clock:
    """A case's clock as the rules see it: when it started, how much working time it spent waiting
    for the client, and since when it waits now (None while running)."""

    started_at: datetime
    paused_minutes: float = 0
    paused_since: datetime | None = None


def due_at(clock: Clock, limit: int, hours, is_working_day, zone) -> datetime:
    """The deadline `limit` working minutes after the start, pushed back by the time waited."""
    return add_working_minutes(clock.started_at, limit + clock.paused_minutes, hours, is_working_day, zone)


def paused_again(clock: Clock, now: datetime, hours, is_working_day, zone) -> Clock:
    """The clock running again: the working minutes of this wait added to the pause."""
    if clock.paused_since is None:
        return clock
    waited = working_minutes_between(clock.paused_since, now, hours, is_working_day, zone)
    return Clock(clock.started_at, clock.paused_minutes + waited, None)


def breached(due: datetime | None, done_at: datetime | None, paused: bool, now: datetime) -> bool:
    """Breached from the deadline's instant on: done at or after it, or not done by now (a wait for
    the client holds the clock, so nothing is breached while it lasts)."""
    if due is None:
        return False
    if done_at is not None:
        return done_at >= due
    return not paused and now >= due


def minutes_left(due: datetime, now: datetime, hours, is_working_day, zone) -> float:
    """Working minutes until the deadline; negative once it has passed."""
    if now < due:
        return working_minutes_between(now, due, hours, is_working_day, zone)
    return -working_minutes_between(due, now, hours, is_working_day, zone)


@dataclass(frozen=True)
class DeadlineRow:
    kind: str
    severity: str  # ANY for every severity
    tier: str  # ANY for every tier
    response: int  # working minutes
    resolution: int


# The company's table, written into the database the first time it is used; a manager edits it:
# (kind, severity, tier, response amount, unit, resolution amount, unit).
DEFAULT_DEADLINES = (
    (Kind.COMPLAINT, ANY, ANY, 4, Unit.HOURS, 3, Unit.DAYS),
    (Kind.COMPLAINT, ANY, "key", 2, Unit.HOURS, 2, Unit.DAYS),
    (Kind.COMPLAINT, Severity.URGENT, ANY, 2, Unit.HOURS, 1, Unit.DAYS),
    (Kind.REPAIR, ANY, ANY, 4, Unit.HOURS, 3, Unit.DAYS),
    (Kind.REPAIR, ANY, "key", 2, Unit.HOURS, 2, Unit.DAYS),
    (Kind.REPAIR, Severity.URGENT, ANY, 2, Unit.HOURS, 1, Unit.DAYS),
    (Kind.QUESTION, ANY, ANY, 4, Unit.HOURS, 2, Unit.DAYS),
    (Kind.PROPOSAL, ANY, ANY, 1, Unit.DAYS, 5, Unit.DAYS),
)


def deadline_for(rows: list[DeadlineRow], kind: str, severity: str, tier: str) -> DeadlineRow | None:
    """The most particular row: kind, severity and tier; then kind and severity; then kind and
    tier; then the kind alone."""
    for wanted in ((severity, tier), (severity, ANY), (ANY, tier), (ANY, ANY)):
        for row in rows:
            if row.kind == kind and (row.severity, row.tier) == wanted:
                return row
    return None


def escalation_level(level: int) -> int:
    return min(level + 1, MAX_LEVEL)


def confirmed(satisfaction: int, least: int) -> bool:
    """The client's answer in the confirmation callback: settled from `least` up, else reopened."""
    return satisfaction >= least


def percentile(values: list[float], share: float) -> float | None:
    """The value below which `share` of the values fall (nearest rank); None for none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]
