"""The rule book of client visits (参观接待方案) as pure functions: no Flask, no database.

Three kinds of client visit: important clients apply at least five days ahead, get a guide, tea
when the room holds the group and a souvenir each; key clients' visits are prepared (a checklist)
and accompanied by a senior manager; general clients get no guide, may not enter the key
production areas, and small groups are received informally. No visits on non-working days unless
a manager allows it. The numbers come from the area's settings.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from crmweb.clients.rules import Tier


class VisitStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    CANCELLED = "cancelled"


class Area(StrEnum):
    SHOWROOM = "showroom"
    OFFICE = "office"
    WAREHOUSE = "warehouse"
    PRODUCTION = "production"
    LAB = "lab"


# 重要生产厂区: general clients may not enter them.
KEY_AREAS = frozenset({Area.PRODUCTION, Area.LAB})


class PassRefusal(StrEnum):
    UNKNOWN = "unknown"
    VOIDED = "voided"
    OTHER_DAY = "other_day"
    USED = "used"


@dataclass(frozen=True)
class Numbers:
    """What a manager sets (the area's settings)."""
    notice_days: int        # important clients apply at least this many days before
    small_group: int        # general clients: groups smaller than this are received informally


@dataclass(frozen=True)
class Visit:
    """A visit as the rules see it; times are local (Asia/Shanghai), aware."""
    tier: str
    applied_on: date            # the local day of the application
    starts_at: datetime
    ends_at: datetime
    visitors: int
    room_capacity: int
    areas: frozenset[str]
    holiday_allowed: bool = False


@dataclass(frozen=True)
class Provisions:
    """What the rule book provides for a visit."""
    guide: bool             # an assigned person accompanies and explains (important)
    senior_manager: bool    # a senior manager accompanies (key)
    tea: bool
    meals: bool             # to company standard (key)
    souvenirs: int          # one per visitor (important)
    checklist: bool         # preparation checklist before the visit is ready (key)
    informal: bool          # general clients' small groups


def earliest_date(tier: str, applied_on: date, numbers: Numbers) -> date:
    """The first day a visit may take place: applying on the 23rd, an important client's visit
    is on the 28th at the earliest (five days); the others may come the same day."""
    return applied_on + timedelta(days=numbers.notice_days) if tier == Tier.IMPORTANT else applied_on


def refusals(visit: Visit, numbers: Numbers, is_working_day: Callable[[date], bool],
             now: datetime) -> dict[str, object]:
    """Why the rule book refuses a visit, by form field; empty when it may be booked."""
    found: dict[str, object] = {}
    day = visit.starts_at.date()
    if visit.ends_at <= visit.starts_at:
        found["ends_at"] = _l("结束时间须晚于开始时间。")
    elif visit.ends_at.date() != day:
        found["ends_at"] = _l("参观须在同一天内开始和结束。")
    if visit.starts_at < now:
        found["starts_at"] = _l("参观时间已过去。")
    elif day < (earliest := earliest_date(visit.tier, visit.applied_on, numbers)):
        found["starts_at"] = _l("重要客户须至少提前 %(days)s 天申请：最早可安排在 %(date)s。",
                                days=numbers.notice_days, date=earliest.isoformat())
    elif not visit.holiday_allowed and not is_working_day(day):
        found["starts_at"] = _l("%(date)s 不是工作日，须经理特批才能安排参观。", date=day.isoformat())
    if visit.visitors < 1:
        found["visitors"] = _l("请填写来访人员，每行一位。")
    elif visit.visitors > visit.room_capacity:
        found["room_id"] = _l("会议室只能容纳 %(capacity)s 人，来访 %(visitors)s 人。",
                              capacity=visit.room_capacity, visitors=visit.visitors)
    if visit.tier == Tier.GENERAL and (visit.areas & KEY_AREAS):
        found["areas"] = _l("一般客户不得参观重要生产厂区。")
    return found


def provisions(tier: str, visitors: int, room_capacity: int, numbers: Numbers) -> Provisions:
    important, key = tier == Tier.IMPORTANT, tier == Tier.KEY
    return Provisions(
        guide=important or key, senior_manager=key,
        tea=key or (important and visitors <= room_capacity), meals=key,
        souvenirs=visitors if important or key else 0, checklist=key,
        informal=tier == Tier.GENERAL and visitors < numbers.small_group)


def approval_refusal(tier: str, guide_assigned: bool) -> object | None:
    """An important or key client's visit is approved only once its guide is assigned."""
    if tier in (Tier.IMPORTANT, Tier.KEY) and not guide_assigned:
        return _l("请先指派陪同讲解人员，再批准。")
    return None


def pass_refusal(found: bool, voided: bool, used: bool, visit_day: date | None,
                 today: date) -> PassRefusal | None:
    """Why a pass does not let its holder in today: no pass, no entry."""
    if not found:
        return PassRefusal.UNKNOWN
    if voided:
        return PassRefusal.VOIDED
    if visit_day != today:
        return PassRefusal.OTHER_DAY
    if used:
        return PassRefusal.USED
    return None


def visitor_names(text: str) -> list[str]:
    """Visitor names typed one a line (or separated by 、，,), blanks and repeats dropped."""
    names = [name.strip() for line in (text or "").splitlines() for name in line.replace("、", ",")
             .replace("，", ",").split(",")]
    return list(dict.fromkeys(name[:50] for name in names if name))
