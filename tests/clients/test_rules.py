"""Archive rules without an app: pinyin, phones, search keys, VIP, birthdays, who may see and edit."""
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from crmweb.auth.permissions import ARCHIVE_READ_ANY, CLIENTS_EDIT_ANY, CLIENTS_READ_ANY, role_can
from crmweb.clients import rules
from crmweb.clients.names import pinyin_forms

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("name, person, expected", [
    ("徐州华通", False, ("xuzhouhuatong", "xzht")),
    ("曾小明", True, ("zengxiaoming", "zxm")),
    ("单田芳", True, ("shantianfang", "stf")),
    ("仇英", True, ("qiuying", "qy")),
    ("尉迟恭", True, ("yuchigong", "ycg")),
    ("重庆长安", False, ("chongqingchangan", "cqca")),
    ("ＡＢＣ 公司", False, ("abcgongsi", "ags")),
])
def test_pinyin_keys(name, person, expected):
    assert pinyin_forms(name, person) == expected


def test_company_names_keep_the_ordinary_reading_of_surname_characters():
    assert pinyin_forms("曾经科技", person=False)[0] == "cengjingkeji"


@pytest.mark.parametrize("raw, expected", [
    ("+86 138 1234 5678", "+8613812345678"),
    ("138-1234-5678", "+8613812345678"),
    ("８６１３８１２３４５６７８", "+8613812345678"),
    ("0516-83881234", "+8651683881234"),
    ("+1 650 253 0000", "+16502530000"),
])
def test_phone_numbers_are_normalised_to_e164(raw, expected):
    assert rules.normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "138123456789", "电话", "", "14012345678", "17406123456"])
def test_invalid_phone_numbers_are_refused(raw):
    with pytest.raises(rules.InvalidPhone):
        rules.normalise_phone(raw)


@pytest.mark.parametrize("raw", ["13812345678", "(+86)139.0000.1234", "0086 186 0000 1234", "17405123456",
                                 "16212345678", "19912345678", "14512345678", "15412345678"])
def test_the_quick_path_for_mainland_mobiles_agrees_with_the_full_parse(raw):
    import phonenumbers

    number = phonenumbers.parse(raw, "CN")
    expected = (phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                if phonenumbers.is_valid_number(number) else "invalid")
    try:
        assert rules.normalise_phone(raw) == expected
    except rules.InvalidPhone:
        assert expected == "invalid"


def test_phones_are_shown_the_way_people_read_them():
    assert rules.display_phone("+8613812345678") == "138 1234 5678"


def test_search_keys_cover_infix_pinyin_contacts_and_phone_tail():
    keys = dict(rules.search_keys("徐州华通机械有限公司", "company", [
        rules.ContactKeys("曾小明", "+8613812345678", None, "zeng@huatong.cn")]))
    for key in ("徐州华通机械有限公司", "华通机械有限公司", "xzhtjxyxgs", "xuzhouhuatongjixieyouxia",
                "huatongjixieyouxiangongs", "htjxyxgs", "曾小明", "zengxiaoming", "zxm",
                "13812345678", "5678", "zeng@huatong.cn"):
        assert key in keys, key
    assert keys["徐州华通机械有限公司"] < keys["华通机械有限公司"] < keys["13812345678"]


def test_search_prefix_folds_the_query_like_the_keys():
    assert rules.search_prefix(" XZHT ") == "xzht"
    assert rules.search_prefix("+86 138-1234") == "1381234"
    assert rules.search_prefix("５６７８") == "5678"


def purchase(day, amount, high_end=False, month=3):
    return rules.Purchase(datetime(2026, month, day, 2, 0, tzinfo=UTC), Decimal(amount), high_end)


def test_one_high_end_purchase_of_ten_thousand_makes_a_client_vip_eligible():
    reason = rules.vip_eligibility([purchase(1, 10000, high_end=True)], Decimal(10000),
                                   Decimal(20000), SHANGHAI)
    assert reason.startswith("single:")


def test_ten_thousand_of_ordinary_products_is_not_enough():
    assert rules.vip_eligibility([purchase(1, 10000)], Decimal(10000), Decimal(20000), SHANGHAI) is None


def test_twenty_thousand_within_one_calendar_month_makes_a_client_vip_eligible():
    reason = rules.vip_eligibility([purchase(3, 12000), purchase(28, 8000)], Decimal(10000),
                                   Decimal(20000), SHANGHAI)
    assert reason == "monthly:2026-03:20000"


def test_purchases_in_two_months_do_not_add_up():
    purchases = [purchase(20, 12000, month=3), purchase(2, 12000, month=4)]
    assert rules.vip_eligibility(purchases, Decimal(10000), Decimal(20000), SHANGHAI) is None


def test_the_calendar_month_is_shanghais():
    # 2026-03-31 17:00 UTC is already 1 April in Shanghai.
    late = rules.Purchase(datetime(2026, 3, 31, 17, 0, tzinfo=UTC), Decimal(12000), False)
    april = rules.Purchase(datetime(2026, 4, 10, 2, 0, tzinfo=UTC), Decimal(8000), False)
    assert rules.vip_eligibility([late, april], Decimal(10000), Decimal(20000), SHANGHAI) == \
        "monthly:2026-04:20000"


@pytest.mark.parametrize("role, own, grant, expected", [
    ("director", False, False, True), ("manager", False, False, True),
    ("supervisor", False, False, False), ("specialist", True, False, True),
    ("specialist", False, False, False), ("specialist", False, True, True),
    ("service", False, False, False), ("admin", False, False, False),
])
def test_who_reads_the_confidential_sections(role, own, grant, expected):
    reads_any = role_can(role, ARCHIVE_READ_ANY)
    assert rules.may_read_confidential(reads_any, 5, 5 if own else 9, grant) is expected


@pytest.mark.parametrize("role, own, expected", [
    ("director", False, True), ("manager", False, True), ("supervisor", False, True),
    ("specialist", True, True), ("specialist", False, False), ("sales", False, False),
    ("service", False, False),
])
def test_who_changes_an_archive(role, own, expected):
    assert rules.may_edit_archive(role_can(role, CLIENTS_EDIT_ANY), 5, 5 if own else 9) is expected


@pytest.mark.parametrize("role, own, grant, expected", [
    ("specialist", False, False, True), ("service", False, False, True), ("supervisor", False, False, True),
    ("sales", True, False, True), ("sales", False, False, False), ("sales", False, True, True),
    ("reception", False, False, False), ("admin", False, False, False),
])
def test_sales_see_contacts_and_timeline_of_their_own_clients_only(role, own, grant, expected):
    reads_any = role_can(role, CLIENTS_READ_ANY)
    assert rules.may_see_archive(reads_any, 5, 5 if own else 9, grant) is expected


def test_vip_eligibility_is_shown_only_to_who_may_see_the_dealings():
    assert rules.shown_vip_status("eligible", sees_dealings=False) == "none"
    assert rules.shown_vip_status("eligible", sees_dealings=True) == "eligible"
    assert rules.shown_vip_status("vip", sees_dealings=False) == "vip"


@pytest.mark.parametrize("raw, number, normalised, mobile", [
    ("138 1234 5678", "+8613812345678", True, True),
    ("0516-83881234", "+8651683881234", True, False),        # a landline, +86 by default
    ("00-1-212-555-7777", "+12125557777", True, False),      # abroad, by the country code
    ("+44-555-555-5555", "+445555555555", True, False),
    ("95338", "95338", True, False),                          # a service number, as dialled
    ("400-812-3456", "4008123456", True, False),
    ("p1234p5678w9", "p1234p5678w9", False, False),           # a dial string: kept as written
    ("(111) 555-1212", "(111) 555-1212", False, False),       # no country: kept, flagged
    ("9", "9", False, False),
    ("+5555555", "+5555555", False, False),
])
def test_every_number_is_kept_normalised_where_it_can_be(raw, number, normalised, mobile):
    found = rules.read_phone(raw)
    assert (found.number, found.normalised, found.mobile) == (number, normalised, mobile)
    assert rules.phone_is_normalised(found.number) is normalised


def test_a_number_abroad_typed_as_a_mobile_is_the_mobile():
    assert rules.read_phone("+49 1512 3456789", typed_mobile=True).mobile
    assert not rules.read_phone("+49 1512 3456789").mobile


def test_prospects_are_due_a_week_and_customers_a_month_after_the_last_contact():
    from crmweb.clients.settings import rhythm_key
    from crmweb.settings import DEFAULTS

    last = datetime(2026, 11, 1, tzinfo=UTC)
    rhythms = {(stage, tier): DEFAULTS[rhythm_key(stage, tier)]
               for stage in ("prospect", "customer") for tier in rules.TIERS}
    due = rules.contact_due_at
    assert due("prospect", "general", last, None, rhythms) == datetime(2026, 11, 8, tzinfo=UTC)
    assert due("customer", "key", last, None, rhythms) == datetime(2026, 12, 1, tzinfo=UTC)
    assert due("customer", "general", None, last, rhythms) == datetime(2026, 12, 1, tzinfo=UTC)
    assert due("lost", "key", last, None, rhythms) is None


def test_each_tier_keeps_its_own_rhythm():
    last = datetime(2026, 11, 1, tzinfo=UTC)
    rhythms = {("customer", "key"): 14, ("customer", "general"): 60, ("prospect", "key"): 3}
    due = rules.contact_due_at
    assert due("customer", "key", last, None, rhythms) == datetime(2026, 11, 15, tzinfo=UTC)
    assert due("customer", "general", last, None, rhythms) == datetime(2026, 12, 31, tzinfo=UTC)
    assert due("prospect", "key", last, None, rhythms) == datetime(2026, 11, 4, tzinfo=UTC)


# --- birthdays ------------------------------------------------------------------------------

def test_a_week_of_solar_birthdays_each_on_its_day():
    days = rules.birthday_dates(date(2026, 11, 22), 7)
    solar = {key: day for key, day in days.items() if key[0] == "solar"}
    assert len(solar) == 7 and solar[("solar", 11, 28, False)] == date(2026, 11, 28)
    assert ("solar", 11, 29, False) not in days


def test_29_february_falls_on_the_28th_in_other_years():
    assert rules.birthday_dates(date(2027, 2, 28), 1)[("solar", 2, 29, False)] == date(2027, 2, 28)
    assert ("solar", 2, 29, False) not in rules.birthday_dates(date(2028, 2, 28), 1)
    assert rules.birthday_dates(date(2028, 2, 29), 1)[("solar", 2, 29, False)] == date(2028, 2, 29)


def test_lunar_birthdays_fall_on_their_solar_day_of_this_year():
    assert rules.birthday_dates(date(2026, 9, 25), 1)[("lunar", 8, 15, False)] == date(2026, 9, 25)  # 中秋
    assert rules.birthday_dates(date(2026, 2, 17), 1)[("lunar", 1, 1, False)] == date(2026, 2, 17)  # 春节


def test_a_leap_month_birthday_is_kept_in_the_leap_month_when_there_is_one():
    # 2025 has a leap sixth month: 闰六月初六 is 30 July, the ordinary 六月初六 is 30 June.
    summer = rules.birthday_dates(date(2025, 6, 25), 40)
    assert summer[("lunar", 6, 6, True)] == date(2025, 7, 30)
    assert summer[("lunar", 6, 6, False)] == date(2025, 6, 30)


def test_a_leap_month_birthday_falls_in_the_ordinary_month_in_other_years():
    from lunar_python import Lunar

    ordinary = Lunar.fromYmd(2026, 6, 6).getSolar()
    day = date(ordinary.getYear(), ordinary.getMonth(), ordinary.getDay())
    assert rules.birthday_dates(day, 1)[("lunar", 6, 6, True)] == day


def test_a_lunar_30th_falls_on_the_29th_of_a_short_month():
    from lunar_python import Lunar, LunarMonth

    month = next(m for m in range(1, 13) if LunarMonth.fromYm(2026, m).getDayCount() == 29)
    solar = Lunar.fromYmd(2026, month, 29).getSolar()
    day = date(solar.getYear(), solar.getMonth(), solar.getDay())
    assert rules.birthday_dates(day, 1)[("lunar", month, 30, False)] == day


@pytest.mark.parametrize("reason, sentence", [
    ("single:2026-11-23:12000.00", "2026-11-23 单笔购买高端产品 12,000.00 元"),
    ("monthly:2026-04:20000", "2026 年 4 月累计购买 20,000.00 元"),
    ("manual:长期合作", "人工申请：长期合作"),
])
def test_the_vip_reason_reads_as_a_sentence(app, reason, sentence):
    from crmweb.clients.labels import vip_reason

    with app.test_request_context():
        assert vip_reason(reason) == sentence
