"""Message rules without an app: placeholders, SMS segments, quiet hours, exclusions."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from crmweb.messages import rules

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_placeholders_are_filled_and_unknown_ones_are_named():
    text = "{称呼}您好，{公司}全体祝您{节日}快乐！——{客户经理}"
    values = {"称呼": "王经理", "公司": "华通", "节日": "中秋", "客户经理": "李专员"}
    assert rules.render(text, values) == "王经理您好，华通全体祝您中秋快乐！——李专员"
    assert rules.unknown_placeholders("{称呼}好，{生日}快乐 {name}") == ["name", "生日"]


@pytest.mark.parametrize("name, position, expected", [
    ("王明", "采购部经理", "王经理"), ("张伟", "总经理", "张总"), ("李娜", "高级工程师", "李工"),
    ("赵强", None, "赵强"), ("欧阳修", "会计", "欧阳修")])
def test_salutation_from_the_position(name, position, expected):
    assert rules.salutation(name, position) == expected


def test_sms_segments_count_the_signature_and_67_a_part_when_long():
    assert rules.sms_segments("字" * 64, "华通") == 1           # 【华通】 + 64 = 68
    assert rules.sms_segments("字" * 66, "华通") == 1           # exactly 70
    assert rules.sms_segments("字" * 67, "华通") == 2           # 71: two parts of 67
    assert rules.sms_segments("字" * 130, "华通") == 2          # 134 = 2 × 67
    assert rules.sms_segments("字" * 131, "华通") == 3


def test_quiet_hours_move_a_message_to_the_next_morning():
    quiet = rules.QuietHours()
    evening = datetime(2026, 11, 23, 21, 0, tzinfo=SHANGHAI)
    assert rules.next_allowed(evening, quiet) == datetime(2026, 11, 24, 8, 0, tzinfo=SHANGHAI)
    early = datetime(2026, 11, 23, 6, 30, tzinfo=SHANGHAI)
    assert rules.next_allowed(early, quiet) == datetime(2026, 11, 23, 8, 0, tzinfo=SHANGHAI)
    day = datetime(2026, 11, 23, 20, 59, tzinfo=SHANGHAI)
    assert rules.next_allowed(day, quiet) == day
    always = rules.QuietHours(quiet.start, quiet.start)  # no quiet hours at all
    assert rules.next_allowed(evening, always) == evening


@pytest.mark.parametrize("address, channel, opted_out, sent, expected", [
    ("+8613812345678", "sms", True, 0, rules.Exclusion.OPTED_OUT),
    (None, "sms", False, 0, rules.Exclusion.NO_ADDRESS),
    ("+8651683881234", "sms", False, 0, rules.Exclusion.INVALID_NUMBER),  # a landline gets no SMS
    ("+8613812345678", "sms", False, 1, rules.Exclusion.DAILY_CAP),
    ("+8613812345678", "sms", False, 0, None),
    ("zeng@example.cn", "email", False, 0, None),
])
def test_who_is_left_out_and_why(address, channel, opted_out, sent, expected):
    assert rules.exclusion(address, channel, opted_out, sent, daily_cap=1) == expected


@pytest.mark.parametrize("festival, year, expected", [
    ("元旦", 2026, "2026-01-01"), ("春节", 2026, "2026-02-17"), ("元宵", 2026, "2026-03-03"),
    ("清明", 2026, "2026-04-05"), ("劳动节", 2026, "2026-05-01"), ("端午", 2026, "2026-06-19"),
    ("中秋", 2026, "2026-09-25"), ("国庆", 2026, "2026-10-01"),
    ("春节", 2027, "2027-02-06"), ("元宵", 2027, "2027-02-20"), ("清明", 2027, "2027-04-05"),
    ("端午", 2027, "2027-06-09"), ("中秋", 2027, "2027-09-15"),
])
def test_festivals_fall_on_their_dates(festival, year, expected):
    assert rules.festival_date(festival, year).isoformat() == expected
