"""Contracts' dates as pure rules: which reminder the owner gets when, and a contract's state.
No Flask, no database.

- Signing (提醒客户签约日期): from a week before the day the client must sign by, until that day,
  while the contract is not signed.
- Renewal notice: from a week before the last day to give notice (the end less the notice
  period), until that day.
- Expiry: from thirty days before the end, until the end.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

SIGNING_LEAD = timedelta(days=7)
RENEWAL_LEAD = timedelta(days=7)
EXPIRY_LEAD = timedelta(days=30)


class Reminder(StrEnum):
    SIGNING = "signing"
    RENEWAL = "renewal"
    EXPIRY = "expiry"


class State(StrEnum):
    UNSIGNED = "unsigned"
    PENDING = "pending"  # signed, not yet started
    ACTIVE = "active"
    ENDED = "ended"


@dataclass(frozen=True)
class Dates:
    signing_due_on: date | None
    signed_on: date | None
    starts_on: date | None
    ends_on: date | None
    renewal_notice_days: int


def deadlines(dates: Dates) -> dict[Reminder, date]:
    """Each reminder the contract calls for, by the day it is about."""
    found = {}
    if dates.signing_due_on and not dates.signed_on:
        found[Reminder.SIGNING] = dates.signing_due_on
    if dates.ends_on:
        if dates.renewal_notice_days > 0:
            found[Reminder.RENEWAL] = dates.ends_on - timedelta(days=dates.renewal_notice_days)
        found[Reminder.EXPIRY] = dates.ends_on
    return found


LEADS = {Reminder.SIGNING: SIGNING_LEAD, Reminder.RENEWAL: RENEWAL_LEAD, Reminder.EXPIRY: EXPIRY_LEAD}


def reminders_due(dates: Dates, today: date) -> dict[Reminder, date]:
    """The reminders whose time has come today (from their lead until their day): reminder → day."""
    return {
        reminder: day for reminder, day in deadlines(dates).items() if day - LEADS[reminder] <= today <= day
    }


def state(dates: Dates, today: date) -> State:
    if not dates.signed_on:
        return State.UNSIGNED
    if dates.ends_on and today > dates.ends_on:
        return State.ENDED
    if dates.starts_on and today < dates.starts_on:
        return State.PENDING
    return State.ACTIVE
