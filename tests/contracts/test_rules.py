"""Contract reminders on their dates, as the rules say them."""

from datetime import date

from crmweb.contracts import rules
from crmweb.contracts.rules import Reminder, State


def dates(signing_due_on=None, signed_on=None, starts_on=None, ends_on=None, notice=30) -> rules.Dates:
    return rules.Dates(signing_due_on, signed_on, starts_on, ends_on, notice)


def test_the_owner_is_reminded_a_week_before_the_client_must_sign_until_it_is_signed():
    unsigned = dates(signing_due_on=date(2027, 3, 10))
    assert rules.reminders_due(unsigned, date(2027, 3, 2)) == {}
    assert rules.reminders_due(unsigned, date(2027, 3, 3)) == {Reminder.SIGNING: date(2027, 3, 10)}
    assert rules.reminders_due(unsigned, date(2027, 3, 10)) == {Reminder.SIGNING: date(2027, 3, 10)}
    assert rules.reminders_due(unsigned, date(2027, 3, 11)) == {}
    signed = dates(signing_due_on=date(2027, 3, 10), signed_on=date(2027, 3, 5))
    assert rules.reminders_due(signed, date(2027, 3, 8)) == {}


def test_the_renewal_notice_a_week_ahead_of_its_last_day_and_the_end_thirty_days_ahead():
    contract = dates(signed_on=date(2026, 1, 1), ends_on=date(2027, 12, 31), notice=60)  # notice by 11-01
    assert rules.deadlines(contract) == {
        Reminder.RENEWAL: date(2027, 11, 1),
        Reminder.EXPIRY: date(2027, 12, 31),
    }
    assert rules.reminders_due(contract, date(2027, 10, 24)) == {}
    assert rules.reminders_due(contract, date(2027, 10, 25)) == {Reminder.RENEWAL: date(2027, 11, 1)}
    assert rules.reminders_due(contract, date(2027, 11, 2)) == {}
    assert rules.reminders_due(contract, date(2027, 12, 1)) == {Reminder.EXPIRY: date(2027, 12, 31)}
    assert rules.reminders_due(contract, date(2027, 11, 30)) == {}
    assert Reminder.RENEWAL not in rules.deadlines(dates(ends_on=date(2027, 12, 31), notice=0))


def test_a_contracts_state_by_its_dates():
    today = date(2027, 6, 1)
    assert rules.state(dates(), today) == State.UNSIGNED
    assert rules.state(dates(signed_on=today, starts_on=date(2027, 7, 1)), today) == State.PENDING
    assert rules.state(dates(signed_on=today, ends_on=today), today) == State.ACTIVE
    assert rules.state(dates(signed_on=date(2026, 1, 1), ends_on=date(2027, 5, 31)), today) == State.ENDED
