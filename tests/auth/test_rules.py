"""The sign-in rules, checked without an app."""
from datetime import UTC, datetime, timedelta

from crmweb.auth.rules import login_blocked_until, password_problems, session_expired

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=15)


def minutes_ago(*minutes):
    return [NOW - timedelta(minutes=m) for m in minutes]


def test_four_failures_do_not_block():
    assert login_blocked_until(minutes_ago(1, 2, 3, 4), NOW, 5, WINDOW) is None


def test_five_failures_within_fifteen_minutes_block_until_the_oldest_ages_out():
    failures = minutes_ago(1, 2, 3, 4, 10)
    assert login_blocked_until(failures, NOW, 5, WINDOW) == NOW + timedelta(minutes=5)


def test_failures_older_than_the_window_do_not_count():
    assert login_blocked_until(minutes_ago(1, 2, 3, 4, 16, 20), NOW, 5, WINDOW) is None


def test_a_block_never_outlasts_the_window_however_many_failures():
    failures = minutes_ago(*range(0, 14)) + minutes_ago(*range(0, 14))
    blocked_until = login_blocked_until(failures, NOW, 5, WINDOW)
    assert blocked_until is not None and blocked_until - NOW <= WINDOW


def test_session_expires_after_thirty_idle_minutes():
    created = NOW - timedelta(hours=1)
    assert not session_expired(created, NOW - timedelta(minutes=29), NOW,
                               timedelta(minutes=30), timedelta(hours=12))
    assert session_expired(created, NOW - timedelta(minutes=30), NOW,
                           timedelta(minutes=30), timedelta(hours=12))


def test_session_expires_after_twelve_hours_however_active():
    created = NOW - timedelta(hours=12)
    assert session_expired(created, NOW, NOW, timedelta(minutes=30), timedelta(hours=12))


def test_password_must_be_long_and_not_contain_the_username():
    assert password_problems("short", "li") == ["too_short"]
    assert password_problems("li.zhuanyuan-2026", "li.zhuanyuan") == ["contains_username"]
    assert password_problems("a-long-enough-secret", "li") == []
