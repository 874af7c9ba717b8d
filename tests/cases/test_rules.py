"""Working-time arithmetic with `now` given: across the lunch break, a weekend, a statutory holiday
and a make-up working Saturday, with the clock paused while waiting for the client."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from crmweb.cases.rules import (
    ANY,
    Clock,
    DeadlineRow,
    add_working_minutes,
    breached,
    confirmed,
    day_minutes,
    deadline_for,
    due_at,
    limit_minutes,
    minutes_left,
    parse_hours,
    paused_again,
    percentile,
    working_minutes_between,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOURS = parse_hours("09:00-12:00,13:30-18:00")
# National Day 2026: 1–7 October off; Saturday 10 October worked.
HOLIDAYS = {date(2026, 10, day) for day in range(1, 8)}
MAKE_UP = {date(2026, 10, 10)}


def is_working_day(day: date) -> bool:
    return day in MAKE_UP or (day not in HOLIDAYS and day.weekday() < 5)


def at(month, day, hour, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def add(start, minutes):
    return add_working_minutes(start, minutes, HOURS, is_working_day, SHANGHAI)


def between(first, last):
    return working_minutes_between(first, last, HOURS, is_working_day, SHANGHAI)


def test_working_hours_are_read_from_the_setting():
    assert day_minutes(HOURS) == 450
    assert limit_minutes(2, "days", HOURS) == 900 and limit_minutes(2, "hours", HOURS) == 120
    for wrong in ("", "9-12", "12:00-09:00", "09:00-12:00,11:00-13:00"):
        with pytest.raises(ValueError):
            parse_hours(wrong)


def test_two_hours_across_the_lunch_break():
    assert add(at(11, 23, 11, 0), 120) == at(11, 23, 14, 30)
    assert between(at(11, 23, 11, 0), at(11, 23, 14, 30)) == 120


def test_a_case_opened_at_lunch_or_at_night_starts_counting_at_the_next_working_moment():
    assert add(at(11, 23, 12, 40), 30) == at(11, 23, 14, 0)
    assert add(at(11, 23, 20, 0), 60) == at(11, 24, 10, 0)


def test_over_a_weekend():
    # Friday 17:00 + 2 working hours = Monday 10:00.
    assert add(at(11, 20, 17, 0), 120) == at(11, 23, 10, 0)
    assert between(at(11, 20, 17, 0), at(11, 23, 10, 0)) == 120


def test_over_a_statutory_holiday_and_onto_a_make_up_saturday():
    # Wednesday 30 September 17:00 + 2 days (900 minutes): 60 that day, the holiday skipped,
    # 450 on Thursday 8 October, 390 on Friday 9 October (ends 17:00).
    assert add(at(9, 30, 17, 0), 900) == at(10, 9, 17, 0)
    # One more hour: Friday 17:00–18:00, so Friday 18:00; a second one lands on the make-up Saturday.
    assert add(at(9, 30, 17, 0), 960) == at(10, 9, 18, 0)
    assert add(at(9, 30, 17, 0), 1020) == at(10, 10, 10, 0)


def test_waiting_for_the_client_pushes_the_deadline_back_by_the_working_time_waited():
    clock = Clock(started_at=at(11, 23, 9, 0))
    assert due_at(clock, 120, HOURS, is_working_day, SHANGHAI) == at(11, 23, 11, 0)
    waiting = Clock(clock.started_at, 0, paused_since=at(11, 23, 10, 0))
    # The client answers the next morning at 09:30: the wait cost 2 + 4.5 + 0.5 = 7 working hours.
    running = paused_again(waiting, at(11, 24, 9, 30), HOURS, is_working_day, SHANGHAI)
    assert running.paused_minutes == 420 and running.paused_since is None
    assert due_at(running, 120, HOURS, is_working_day, SHANGHAI) == at(11, 24, 10, 30)


def test_breached_at_the_instant_and_not_before():
    due = at(11, 23, 11, 0)
    assert not breached(due, None, False, at(11, 23, 10, 59))
    assert breached(due, None, False, due)
    assert not breached(due, None, True, at(11, 23, 12, 0))  # waiting for the client
    assert not breached(due, at(11, 23, 10, 30), False, at(11, 24, 9, 0))  # answered in time
    assert breached(due, at(11, 23, 11, 30), False, at(11, 23, 11, 30))


def test_time_left_counts_working_minutes_either_side():
    due = at(11, 23, 14, 0)
    assert minutes_left(due, at(11, 23, 11, 30), HOURS, is_working_day, SHANGHAI) == 60
    assert minutes_left(due, at(11, 23, 15, 0), HOURS, is_working_day, SHANGHAI) == -60


def test_the_most_particular_deadline_row_applies():
    rows = [
        DeadlineRow("complaint", ANY, ANY, 240, 1350),
        DeadlineRow("complaint", ANY, "key", 120, 900),
        DeadlineRow("complaint", "urgent", ANY, 60, 450),
        DeadlineRow("complaint", "urgent", "key", 30, 225),
    ]
    assert deadline_for(rows, "complaint", "normal", "general").response == 240
    assert deadline_for(rows, "complaint", "normal", "key").response == 120
    assert deadline_for(rows, "complaint", "urgent", "general").response == 60
    assert deadline_for(rows, "complaint", "urgent", "key").response == 30
    assert deadline_for(rows, "question", "normal", "key") is None


def test_a_dissatisfied_answer_does_not_confirm_and_medians_by_nearest_rank():
    assert confirmed(3, 3) and not confirmed(2, 3)
    assert percentile([5, 1, 3, 2, 4], 0.5) == 3 and percentile([5, 1, 3, 2, 4], 0.9) == 5
    assert percentile([], 0.5) is None
