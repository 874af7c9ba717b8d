"""The visit rule book without an app: notice by tier, the working calendar, rooms, areas, passes."""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import holidays
import pytest

from crmweb.bookings import rules

SHANGHAI = ZoneInfo("Asia/Shanghai")
NUMBERS = rules.Numbers(notice_days=5, small_group=10)


def is_working_day(day: date) -> bool:
    """The published calendar, without a database (the app's adds the company's corrections)."""
    return holidays.China(years=day.year).is_working_day(day)


def visit(tier="important", applied=datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI),
          starts=datetime(2026, 11, 30, 9, 30, tzinfo=SHANGHAI), hours=2, visitors=4, capacity=12,
          areas=frozenset({"showroom"}), holiday_allowed=False):
    return rules.Visit(tier=tier, applied_on=applied.astimezone(SHANGHAI).date(), starts_at=starts,
                       ends_at=starts.replace(hour=starts.hour + hours), visitors=visitors,
                       room_capacity=capacity, areas=areas, holiday_allowed=holiday_allowed)


def refused(v, now=datetime(2026, 11, 23, 2, 0, tzinfo=UTC)):
    return rules.refusals(v, NUMBERS, is_working_day, now)


def test_an_important_client_applying_on_the_23rd_may_visit_on_the_28th_at_the_earliest():
    assert rules.earliest_date("important", date(2026, 11, 23), NUMBERS) == date(2026, 11, 28)
    assert rules.earliest_date("key", date(2026, 11, 23), NUMBERS) == date(2026, 11, 23)
    assert rules.earliest_date("general", date(2026, 11, 23), NUMBERS) == date(2026, 11, 23)


@pytest.mark.parametrize("applied_utc, earliest_allowed", [
    # 23:59 in Shanghai on the 23rd: the 28th is five days on.
    (datetime(2026, 11, 23, 15, 59, tzinfo=UTC), True),
    # 00:01 in Shanghai on the 24th (still the 23rd in UTC): the 28th is only four days on.
    (datetime(2026, 11, 23, 16, 1, tzinfo=UTC), False),
])
def test_the_day_of_application_is_the_local_day(app, applied_utc, earliest_allowed):
    on_the_28th = datetime(2026, 11, 28, 9, 0, tzinfo=SHANGHAI)  # a Saturday: the calendar rule lifted
    found = refused(visit(applied=applied_utc, starts=on_the_28th, holiday_allowed=True), now=applied_utc)
    assert ("starts_at" not in found) is earliest_allowed
    if not earliest_allowed:  # the refusal names the earliest day
        with app.test_request_context():
            assert "2026-11-29" in str(found["starts_at"])


def test_key_and_general_clients_need_no_notice():
    now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, a Monday
    later_today = datetime(2026, 11, 23, 15, 0, tzinfo=SHANGHAI)
    assert refused(visit(tier="key", starts=later_today), now) == {}
    assert refused(visit(tier="general", starts=later_today), now) == {}
    assert "starts_at" in refused(visit(tier="important", starts=later_today), now)


def test_a_make_up_working_saturday_is_a_working_day_and_a_holiday_is_not():
    applied = datetime(2026, 1, 20, 10, 0, tzinfo=SHANGHAI)
    now = applied.astimezone(UTC)
    make_up_saturday = datetime(2026, 2, 14, 9, 0, tzinfo=SHANGHAI)  # 调休: worked for the Spring Festival
    plain_saturday = datetime(2026, 2, 7, 9, 0, tzinfo=SHANGHAI)
    spring_festival = datetime(2026, 2, 18, 9, 0, tzinfo=SHANGHAI)
    assert refused(visit(applied=applied, starts=make_up_saturday), now) == {}
    assert "starts_at" in refused(visit(applied=applied, starts=plain_saturday), now)
    assert "starts_at" in refused(visit(applied=applied, starts=spring_festival), now)
    # A manager's special permission lifts the calendar rule, not the notice rule.
    assert refused(visit(applied=applied, starts=spring_festival, holiday_allowed=True), now) == {}


def test_the_room_must_hold_the_group():
    assert refused(visit(visitors=12, capacity=12)) == {}
    assert set(refused(visit(visitors=13, capacity=12))) == {"room_id"}


def test_general_clients_may_not_enter_key_production_areas():
    assert set(refused(visit(tier="general", areas=frozenset({"showroom", "production"})))) == {"areas"}
    assert refused(visit(tier="important", areas=frozenset({"showroom", "production"}))) == {}


def test_a_visit_starts_and_ends_on_one_day_and_not_in_the_past():
    v = visit()
    assert set(refused(rules.Visit(**{**v.__dict__, "ends_at": v.starts_at}))) == {"ends_at"}
    assert set(refused(v, now=datetime(2026, 12, 1, tzinfo=UTC))) == {"starts_at"}


def test_what_each_tier_is_given():
    important = rules.provisions("important", visitors=6, room_capacity=12, numbers=NUMBERS)
    assert (important.guide, important.tea, important.souvenirs) == (True, True, 6)
    assert not important.checklist
    key = rules.provisions("key", visitors=6, room_capacity=12, numbers=NUMBERS)
    assert (key.senior_manager, key.meals, key.checklist) == (True, True, True)
    general = rules.provisions("general", visitors=9, room_capacity=12, numbers=NUMBERS)
    assert (general.guide, general.tea, general.souvenirs, general.informal) == (False, False, 0, True)
    assert not rules.provisions("general", visitors=10, room_capacity=12, numbers=NUMBERS).informal


def test_an_important_visit_is_approved_only_with_a_guide():
    assert rules.approval_refusal("important", guide_assigned=False) is not None
    assert rules.approval_refusal("important", guide_assigned=True) is None
    assert rules.approval_refusal("general", guide_assigned=False) is None


@pytest.mark.parametrize("found, voided, used, day, expected", [
    (False, False, False, None, rules.PassRefusal.UNKNOWN),
    (True, True, False, date(2026, 11, 23), rules.PassRefusal.VOIDED),
    (True, False, False, date(2026, 11, 24), rules.PassRefusal.OTHER_DAY),
    (True, False, True, date(2026, 11, 23), rules.PassRefusal.USED),
    (True, False, False, date(2026, 11, 23), None),
])
def test_no_pass_no_entry(found, voided, used, day, expected):
    assert rules.pass_refusal(found, voided, used, day, date(2026, 11, 23)) == expected


def test_visitor_names_one_a_line():
    assert rules.visitor_names("张三\n 李四 \n\n张三\n王五、赵六") == ["张三", "李四", "王五", "赵六"]
