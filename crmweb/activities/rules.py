"""Client activities as pure rules: who gets a seat and who waits, what a personal link may still
do, when the day-before reminder is due, attendance and costs. No Flask, no database."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum


class Kind(StrEnum):
    GATHERING = "gathering"  # 客户联谊会
    SEMINAR = "seminar"  # 研讨会
    ANNUAL_MEETING = "annual_meeting"  # 年度客户服务会议
    FORUM = "forum"  # 论坛
    TRIAL = "trial"  # 新品试用


class Status(StrEnum):
    """An invitation's answer. "No answer" is an invitation still `invited` once the event began."""

    INVITED = "invited"
    ACCEPTED = "accepted"
    WAITLISTED = "waitlisted"  # accepted when the activity was full: the next free seat is theirs
    DECLINED = "declined"


class Answer(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"


class LinkRefusal(StrEnum):
    UNKNOWN = "unknown"  # guessed or altered: no such link
    USED = "used"  # answered already: a link works once
    EXPIRED = "expired"  # the event (or the feedback period) is over


# Feedback by link is taken this long after the event ends.
FEEDBACK_DAYS = 14


def seat_for(answer: Answer, accepted: int, capacity: int) -> Status:
    """Accepting takes a seat while there is one (capacity counts who accepted); once full, the
    person waits for the next free seat. Declining is always just that."""
    if answer == Answer.DECLINE:
        return Status.DECLINED
    return Status.ACCEPTED if accepted < capacity else Status.WAITLISTED


def link_refusal(found: bool, used: bool, expires_at: datetime | None, now: datetime) -> LinkRefusal | None:
    """Why a personal link (an RSVP or a feedback link) does nothing now, or None: it must exist,
    be unused and not have expired. The page says the same for every refusal: nothing is revealed."""
    if not found:
        return LinkRefusal.UNKNOWN
    if used:
        return LinkRefusal.USED
    if expires_at is None or now >= expires_at:
        return LinkRefusal.EXPIRED
    return None


def feedback_closes(ends_at: datetime) -> datetime:
    return ends_at + timedelta(days=FEEDBACK_DAYS)


def day_reminded(today: date) -> date:
    """Those who accepted are reminded the day before: today, of the activities of tomorrow."""
    return today + timedelta(days=1)


@dataclass(frozen=True)
class Attendance:
    invited: int  # every invitation, answered or not (walk-ins not counted)
    accepted: int
    declined: int
    waitlisted: int
    no_answer: int
    attended: int  # invited people who came
    walk_ins: int

    @property
    def rate(self) -> float | None:
        """Of those who said they would come, the share who came; None before anyone accepted."""
        return self.attended / self.accepted if self.accepted else None


@dataclass(frozen=True)
class Costs:
    budget: Decimal
    spent: Decimal

    @property
    def left(self) -> Decimal:
        return self.budget - self.spent

    @property
    def over_budget(self) -> bool:
        return self.spent > self.budget
