"""The activity rules, as a manager would say them."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from crmweb.activities import rules
from crmweb.activities.rules import Answer, LinkRefusal, Status

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def test_accepting_takes_a_seat_until_the_activity_is_full_then_waits():
    assert rules.seat_for(Answer.ACCEPT, accepted=29, capacity=30) == Status.ACCEPTED
    assert rules.seat_for(Answer.ACCEPT, accepted=30, capacity=30) == Status.WAITLISTED
    assert rules.seat_for(Answer.DECLINE, accepted=0, capacity=30) == Status.DECLINED


def test_a_personal_link_works_once_and_until_it_expires():
    later = NOW + timedelta(hours=1)
    assert rules.link_refusal(found=True, used=False, expires_at=later, now=NOW) is None
    assert rules.link_refusal(found=False, used=False, expires_at=None, now=NOW) == LinkRefusal.UNKNOWN
    assert rules.link_refusal(found=True, used=True, expires_at=later, now=NOW) == LinkRefusal.USED
    assert rules.link_refusal(found=True, used=False, expires_at=NOW, now=NOW) == LinkRefusal.EXPIRED


def test_the_reminder_goes_the_day_before_and_feedback_is_taken_for_two_weeks():
    assert rules.day_reminded(date(2027, 2, 28)) == date(2027, 3, 1)
    assert rules.feedback_closes(NOW) == NOW + timedelta(days=14)


def test_attendance_is_who_came_of_who_accepted_and_costs_against_the_budget():
    seen = rules.Attendance(
        invited=10, accepted=8, declined=1, waitlisted=1, no_answer=0, attended=6, walk_ins=2
    )
    assert seen.rate == 0.75
    assert rules.Attendance(3, 0, 3, 0, 0, 0, 1).rate is None
    assert (
        rules.Costs(Decimal(100), Decimal(120)).over_budget
        and rules.Costs(Decimal(100), Decimal(120)).left == -20
    )
    assert not rules.Costs(Decimal(100), Decimal(100)).over_budget
