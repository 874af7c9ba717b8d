"""Messages as pure rules: placeholders, how providers count an SMS, quiet hours, who is left out
and why. No Flask, no database."""
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

# What a template may say in braces, and what fills it.
PLACEHOLDERS = ("称呼", "姓名", "公司", "节日", "客户经理",
                # An activity's invitation: what, when, where, and the person's own reply link.
                "活动", "时间", "地点", "链接")
_PLACEHOLDER = re.compile(r"\{([^{}]{1,10})\}")

# Chinese providers count 70 characters as one SMS, and 67 a part when the text is longer (the
# rest carries the parts' order); the signature 【…】 counts too.
SMS_SINGLE, SMS_PART = 70, 67

# Titles people are addressed by, from the end of a position: 采购部经理 王明 → 王经理.
_TITLES = (("总经理", "总"), ("董事长", "董"), ("总监", "总监"), ("经理", "经理"), ("主任", "主任"),
           ("厂长", "厂长"), ("部长", "部长"), ("处长", "处长"), ("科长", "科长"), ("局长", "局长"),
           ("工程师", "工"), ("老师", "老师"), ("主管", "主管"))


class Exclusion(StrEnum):
    OPTED_OUT = "opted_out"
    NO_ADDRESS = "no_address"
    INVALID_NUMBER = "invalid_number"
    DAILY_CAP = "daily_cap"


def unknown_placeholders(text: str) -> list[str]:
    """Braced words a template uses that nothing fills: the editor says so before it is saved."""
    return sorted({name for name in _PLACEHOLDER.findall(text or "") if name not in PLACEHOLDERS})


def render(text: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text or "")


def provider_params(mapping: str, values: dict[str, str]) -> dict[str, str]:
    """"customer=称呼, company=公司" → {"customer": "王经理", "company": "华通"}: a registered
    template's parameters, filled from our placeholders."""
    params = {}
    for pair in re.split(r"[,，]", mapping or ""):
        name, _equals, placeholder = pair.partition("=")
        if name.strip():
            params[name.strip()] = values.get(placeholder.strip().strip("{}"), "")
    return params


def salutation(name: str, position: str | None) -> str:
    """How a contact is addressed: surname and title when the position gives one (王经理), else the
    full name."""
    name = (name or "").strip()
    for ending, title in _TITLES:
        if position and position.strip().endswith(ending) and name:
            return name[0] + title
    return name


def sms_length(body: str, signature: str) -> int:
    return len(f"【{signature}】{body}") if signature else len(body)


def sms_segments(body: str, signature: str) -> int:
    """How many SMS the providers bill for this text with its signature."""
    length = sms_length(body, signature)
    return 1 if length <= SMS_SINGLE else math.ceil(length / SMS_PART)


@dataclass(frozen=True)
class QuietHours:
    start: time = time(8, 0)   # messages may go out from …
    end: time = time(21, 0)    # … until


def next_allowed(local_now: datetime, quiet: QuietHours) -> datetime:
    """`local_now` when it is within the hours messages may go out, else the next start of them.
    The same hour for start and end means no quiet hours."""
    if quiet.start == quiet.end or quiet.start <= local_now.time() < quiet.end:
        return local_now
    day = local_now.date() if local_now.time() < quiet.start else local_now.date() + timedelta(days=1)
    return datetime.combine(day, quiet.start, tzinfo=local_now.tzinfo)


def exclusion(address: str | None, channel: str, opted_out: bool, sent_that_day: int,
              daily_cap: int) -> Exclusion | None:
    """Why a contact does not get this message, or None: opted out, no address for the channel,
    a number that is not a mainland mobile, or the day's cap already reached."""
    if opted_out:
        return Exclusion.OPTED_OUT
    if not address:
        return Exclusion.NO_ADDRESS
    if channel == "sms" and not re.fullmatch(r"\+861\d{10}", address):
        return Exclusion.INVALID_NUMBER
    if sent_that_day >= daily_cap:
        return Exclusion.DAILY_CAP
    return None


# --- festivals ---------------------------------------------------------------------------------

# The festivals greetings are sent for: solar dates, lunar dates, and one solar term.
SOLAR_FESTIVALS = {"元旦": (1, 1), "劳动节": (5, 1), "国庆": (10, 1)}
LUNAR_FESTIVALS = {"春节": (1, 1), "元宵": (1, 15), "端午": (5, 5), "中秋": (8, 15)}
FESTIVALS = ("元旦", "春节", "元宵", "清明", "劳动节", "端午", "中秋", "国庆")


def festival_date(festival: str, year: int) -> date:
    """The solar date of a festival in a year: 春节 2027 → 2027-02-06, 清明 2026 → 2026-04-05."""
    if festival in SOLAR_FESTIVALS:
        return date(year, *SOLAR_FESTIVALS[festival])
    from lunar_python import Lunar  # noqa: PLC0415 (only when lunar dates are computed)

    if festival in LUNAR_FESTIVALS:
        solar = Lunar.fromYmd(year, *LUNAR_FESTIVALS[festival]).getSolar()
    elif festival == "清明":  # a solar term: in the lunar year of the same number, in April
        solar = Lunar.fromYmd(year, 1, 1).getJieQiTable()["清明"]
    else:
        raise ValueError(festival)
    return date(solar.getYear(), solar.getMonth(), solar.getDay())
