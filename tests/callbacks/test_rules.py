"""The callback plan's rules at their edges: windows from the event's local day, moved off
holidays and weekends; due from the first day, overdue after the last; tries on later days."""
from datetime import date

import pytest

from crmweb.callbacks.rules import (
    DEFAULT_RULES,
    RuleSpec,
    Timing,
    add_offset,
    next_try_on,
    random_sample,
    share_out,
    timing,
    window_after,
)

# National Day 2026 as a test calendar: 1–7 October off, Saturday 10 October worked.
HOLIDAYS = {date(2026, 10, day) for day in range(1, 8)}
MAKE_UP = {date(2026, 10, 10)}


def is_working_day(day: date) -> bool:
    return day in MAKE_UP or (day not in HOLIDAYS and day.weekday() < 5)


def rule(event_kind, starts, ends, unit="days"):
    wanted = (event_kind, starts, ends, unit)
    return next(spec for spec in DEFAULT_RULES
                if (spec.event_kind, spec.starts_after, spec.ends_after, spec.unit) == wanted)


def test_a_sale_is_called_back_on_the_seventh_day():
    window = window_after(date(2026, 11, 17), rule("sale", 7, 7), is_working_day)
    assert (window.opens_on, window.closes_on) == (date(2026, 11, 24), date(2026, 11, 24))


def test_a_window_ending_on_a_weekend_closes_on_the_monday():
    # Installation done on Friday: within 2 days is Sunday, so Monday.
    window = window_after(date(2026, 11, 20), rule("installation", 0, 2), is_working_day)
    assert (window.opens_on, window.closes_on) == (date(2026, 11, 20), date(2026, 11, 23))


def test_a_window_ending_on_a_holiday_closes_after_the_holiday():
    window = window_after(date(2026, 9, 29), rule("installation", 0, 2), is_working_day)
    assert (window.opens_on, window.closes_on) == (date(2026, 9, 29), date(2026, 10, 8))


def test_a_window_opening_on_a_holiday_opens_after_it():
    window = window_after(date(2026, 9, 28), rule("repair", 3, 5), is_working_day)
    assert (window.opens_on, window.closes_on) == (date(2026, 10, 8), date(2026, 10, 8))


def test_a_make_up_working_day_counts():
    next_day = RuleSpec("proposal", 1, 1, "days", "rapport", "")
    window = window_after(date(2026, 10, 9), next_day, is_working_day)
    assert window.opens_on == date(2026, 10, 10)  # a Saturday worked


def test_month_windows_count_calendar_months_and_end_the_short_month():
    assert add_offset(date(2026, 1, 31), 1, "months") == date(2026, 2, 28)
    assert add_offset(date(2027, 1, 31), 13, "months") == date(2028, 2, 29)
    window = window_after(date(2026, 1, 31), rule("sale", 4, 6, "months"), is_working_day)
    # 31 May 2026 is a Sunday; 31 July a Friday.
    assert (window.opens_on, window.closes_on) == (date(2026, 6, 1), date(2026, 7, 31))


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 5, 31), Timing.UPCOMING), (date(2026, 6, 1), Timing.DUE),
    (date(2026, 7, 31), Timing.DUE), (date(2026, 8, 1), Timing.OVERDUE)])
def test_due_from_the_first_day_overdue_after_the_last(today, expected):
    assert timing(date(2026, 6, 1), date(2026, 7, 31), today) == expected


def test_unanswered_calls_are_tried_on_later_working_days_up_to_the_limit():
    assert next_try_on(date(2026, 11, 20), 1, 3, is_working_day) == date(2026, 11, 23)  # Friday → Monday
    assert next_try_on(date(2026, 9, 30), 2, 3, is_working_day) == date(2026, 10, 8)
    assert next_try_on(date(2026, 11, 23), 3, 3, is_working_day) is None


def test_a_random_sample_is_the_same_for_the_same_campaign():
    pool = range(1, 101)
    first = random_sample(pool, 10, seed=7)
    assert first == random_sample(pool, 10, seed=7) and len(set(first)) == 10
    assert first != random_sample(pool, 10, seed=8)
    assert random_sample([3, 1, 2], 10, seed=1) == [1, 2, 3]  # no more than there are


def test_calls_shared_out_in_turn_or_to_each_owner():
    owners = {1: 10, 2: 20, 3: None}
    assert share_out([1, 2, 3], owners, []) == {1: 10, 2: 20, 3: None}
    assert share_out([1, 2, 3], owners, [7, 8]) == {1: 7, 2: 8, 3: 7}
