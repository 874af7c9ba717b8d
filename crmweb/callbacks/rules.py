"""The telephone callback plan (客户电话回访方案) as pure functions: no Flask, no database.

Events call for callbacks at set times after them (installation done → within 2 days; a sale →
at 7 days, in months 4–6 and in months 10–12; …): each a window that opens and closes on working
days, due from its opening day and overdue after its closing day. Unanswered calls are tried
again on later working days, up to a number of tries. Campaigns pick clients by the rule book's
selection methods.
"""
import calendar
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class ContentType(StrEnum):
    """What the call is for (回访内容): the script follows from it."""
    EXPLAIN = "explain"    # 解释
    PROMOTE = "promote"    # 宣传
    RAPPORT = "rapport"    # 情感
    MEDIATE = "mediate"    # 调解
    ADVISE = "advise"      # 建议
    GUIDE = "guide"        # 指导


class Status(StrEnum):
    OPEN = "open"
    DONE = "done"
    UNREACHED = "unreached"   # every try went unanswered
    CANCELLED = "cancelled"   # its event was voided or changed


class Source(StrEnum):
    EVENT = "event"           # a purchase or service event, by the rules table
    FOLLOW_UP = "follow_up"   # an interaction's next follow-up date
    CAMPAIGN = "campaign"
    CASE = "case"             # a service case's confirmation: is the client's problem settled?


class Outcome(StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    CALL_BACK = "call_back"   # the client asked to be called at another time


class Unit(StrEnum):
    DAYS = "days"
    MONTHS = "months"


class Timing(StrEnum):
    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"


class Method(StrEnum):
    """The rule book's ways of choosing whom to call back."""
    RANDOM = "random"                  # a random sample of N, of a tier or stage
    LOW_SATISFACTION = "low_satisfaction"  # the latest satisfaction below X
    SERVICE_NEEDED = "service_needed"  # a complaint or late repair lately, or a year without service
    RARELY_CONTACTED = "rarely_contacted"  # no interaction for N days


@dataclass(frozen=True)
class RuleSpec:
    """One line of the rules table: which event, when after it, what for."""
    event_kind: str
    starts_after: int
    ends_after: int
    unit: str
    content_type: str
    purpose: str


# The company's plan, written into the rules table the first time it is used; a manager edits it.
DEFAULT_RULES = (
    RuleSpec("installation", 0, 2, Unit.DAYS, ContentType.RAPPORT, "了解对安装人员的满意度"),
    RuleSpec("sale", 7, 7, Unit.DAYS, ContentType.GUIDE, "了解产品是否用得习惯"),
    RuleSpec("sale", 4, 6, Unit.MONTHS, ContentType.EXPLAIN, "了解产品运行情况"),
    RuleSpec("sale", 10, 12, Unit.MONTHS, ContentType.PROMOTE, "提供上门检查服务"),
    RuleSpec("repair", 3, 5, Unit.DAYS, ContentType.EXPLAIN, "确认维修效果"),
    RuleSpec("repair_late", 0, 0, Unit.DAYS, ContentType.MEDIATE, "维修超出承诺时间，立即致歉并了解情况"),
    RuleSpec("complaint", 0, 0, Unit.DAYS, ContentType.MEDIATE, "确认投诉的问题"),
    RuleSpec("proposal", 0, 2, Unit.DAYS, ContentType.RAPPORT, "感谢客户的建议，确认已收到"),
)

LONGEST_HOLIDAY = 60  # days a search for the next working day may look ahead


def add_offset(day: date, amount: int, unit: str) -> date:
    """`amount` days or calendar months after `day`; a month without that day ends the month
    (31 January + 1 month = 28/29 February)."""
    if unit == Unit.DAYS:
        return day + timedelta(days=amount)
    months = day.month - 1 + amount
    year, month = day.year + months // 12, months % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_working_day(day: date, is_working_day: Callable[[date], bool]) -> date:
    """The day itself when it is a working day, else the first working day after it."""
    for ahead in range(LONGEST_HOLIDAY):
        candidate = day + timedelta(days=ahead)
        if is_working_day(candidate):
            return candidate
    return day


@dataclass(frozen=True)
class Window:
    opens_on: date
    closes_on: date


def window_after(event_day: date, spec: RuleSpec, is_working_day: Callable[[date], bool]) -> Window:
    """The local days a callback is due on: from the event's local day, each end moved to the
    next working day when it falls on a holiday or a weekend."""
    opens_on = next_working_day(add_offset(event_day, spec.starts_after, spec.unit), is_working_day)
    closes_on = next_working_day(add_offset(event_day, spec.ends_after, spec.unit), is_working_day)
    return Window(opens_on, max(opens_on, closes_on))


def timing(opens_on: date, closes_on: date, today: date) -> Timing:
    """Due from the window's first day, overdue after its last."""
    if today < opens_on:
        return Timing.UPCOMING
    return Timing.DUE if today <= closes_on else Timing.OVERDUE


def next_try_on(today: date, tries_made: int, max_tries: int,
                is_working_day: Callable[[date], bool]) -> date | None:
    """After an unanswered call: the next working day after today, or None once the tries are
    used up (each try on a different day)."""
    if tries_made >= max_tries:
        return None
    return next_working_day(today + timedelta(days=1), is_working_day)


def random_sample(client_ids: Iterable[int], size: int, seed: int) -> list[int]:
    """N clients drawn at random; the same seed draws the same clients (the campaign keeps it)."""
    pool = sorted(set(client_ids))
    return sorted(random.Random(seed).sample(pool, min(size, len(pool))))


def share_out(client_ids: list[int], owners: dict[int, int | None],
              assignees: list[int]) -> dict[int, int | None]:
    """Who calls whom: given people, in turn; else each client's owner."""
    if not assignees:
        return {client_id: owners.get(client_id) for client_id in client_ids}
    return {client_id: assignees[index % len(assignees)] for index, client_id in enumerate(client_ids)}
