"""Rules of the client archive as pure functions: no Flask, no database; time is a parameter."""
import calendar
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from crmweb.clients.names import normalise

STAGES = ("prospect", "customer", "lost")
TIERS = ("general", "important", "key")
KINDS = ("company", "person")
INTERACTION_KINDS = ("visit", "callback", "reception", "complaint", "proposal", "communication")
EVENT_KINDS = ("sale", "installation", "repair", "complaint", "proposal")
CHANNELS = ("phone", "visit", "wechat", "email", "sms", "letter", "other")

# Who reads every archive's confidential sections (DESIGN §2); others only their own or by grant.
CONFIDENTIAL_ROLES = frozenset({"director", "manager"})
# Who changes any archive (数据更新由指定人员维护); the owner changes their own.
ARCHIVE_EDITOR_ROLES = frozenset({"director", "manager", "supervisor"})
TIER_SETTER_ROLES = frozenset({"director", "manager", "supervisor"})


def may_read_confidential(role: str, user_id: int, owner_id: int | None, has_grant: bool) -> bool:
    return role in CONFIDENTIAL_ROLES or (owner_id is not None and owner_id == user_id) or has_grant


def may_edit_archive(role: str, user_id: int, owner_id: int | None) -> bool:
    return role in ARCHIVE_EDITOR_ROLES or (owner_id is not None and owner_id == user_id)


def sees_full_list_row(role: str, user_id: int, owner_id: int | None) -> bool:
    """Lists show other owners' clients with name, tier and owner only."""
    return role in CONFIDENTIAL_ROLES or (owner_id is not None and owner_id == user_id)


# --- stay in touch ---------------------------------------------------------------------------

def contact_due_at(stage: str, tier: str, last_contact_at: datetime | None, created_at: datetime | None,
                   rhythm_days: dict[tuple[str, str], int]) -> datetime | None:
    """When a client is next due for contact: its last contact (or its creation) plus the rhythm
    of its stage and tier; a lost client is never due."""
    if stage == "lost":
        return None
    start = last_contact_at or created_at
    if start is None:
        return None
    return start + timedelta(days=rhythm_days[("prospect" if stage == "prospect" else "customer", tier)])


# --- birthdays -------------------------------------------------------------------------------

# How a contact's birthday is kept: calendar ("solar" | "lunar"), month, day, born in a leap month.
BirthdayKey = tuple[str, int, int, bool]


def birthday_dates(first_day: date, days: int) -> dict[BirthdayKey, date]:
    """The birthdays that fall on the `days` days from `first_day`, each with the day it falls on.

    Lunar dates come from lunar-python. As people keep them: a 29 February falls on the 28th in
    other years; a lunar 30th on the 29th when the month is short; a birthday in a leap month on
    the same day of the ordinary month in years without that leap month.
    """
    from lunar_python import LunarMonth, LunarYear, Solar

    found: dict[BirthdayKey, date] = {}
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        found.setdefault(("solar", day.month, day.day, False), day)
        if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
            found.setdefault(("solar", 2, 29, False), day)
        lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
        month, in_leap_month = abs(lunar.getMonth()), lunar.getMonth() < 0
        lunar_days = [lunar.getDay()]
        if lunar.getDay() == 29 and LunarMonth.fromYm(lunar.getYear(), lunar.getMonth()).getDayCount() == 29:
            lunar_days.append(30)
        leap_flags = [in_leap_month]
        if not in_leap_month and LunarYear.fromYear(lunar.getYear()).getLeapMonth() != month:
            leap_flags.append(True)
        for lunar_day in lunar_days:
            for leap in leap_flags:
                found.setdefault(("lunar", month, lunar_day, leap), day)
    return found


# --- VIP -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Purchase:
    occurred_at: datetime
    amount: Decimal
    high_end: bool


def vip_eligibility(purchases: list[Purchase], single_min: Decimal, monthly_min: Decimal,
                    zone: ZoneInfo) -> str | None:
    """Why a client is VIP-eligible, or None.

    One purchase of high-end products of at least `single_min`, or purchases of at least
    `monthly_min` within one calendar month (local time).
    """
    by_month: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for purchase in purchases:
        if purchase.high_end and purchase.amount >= single_min:
            return f"single:{purchase.occurred_at.astimezone(zone):%Y-%m-%d}:{purchase.amount}"
        local = purchase.occurred_at.astimezone(zone)
        by_month[(local.year, local.month)] += purchase.amount
    for (year, month), total in sorted(by_month.items()):
        if total >= monthly_min:
            return f"monthly:{year:04d}-{month:02d}:{total}"
    return None


# --- phone numbers and search keys -------------------------------------------------------------

class InvalidPhone(ValueError):
    pass


# A mainland mobile as phones and spreadsheets write it: '138 1234 5678', '+86-138-1234-5678'.
_MAINLAND_MOBILE = re.compile(r"(?:\+86|0086)?(1\d{10})")
_PHONE_PUNCTUATION = str.maketrans("", "", " -.()\t")


def normalise_phone(raw: str, region: str = "CN") -> str:
    """E.164 ('+8613812345678') from what people write: '138 1234 5678', '+86-138…', '0516-8388…'."""
    import phonenumbers  # loaded on first use

    text = (raw or "").strip()
    if not text:
        raise InvalidPhone("empty")
    # Most numbers in an import are mainland mobiles: checked against the library's own pattern for
    # them, without its full parse (a third of a phone export's import time).
    mobile = _MAINLAND_MOBILE.fullmatch(text.translate(_PHONE_PUNCTUATION)) if region == "CN" else None
    if mobile and _mainland_mobile_pattern().fullmatch(mobile[1]):
        return "+86" + mobile[1]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhone("unparseable") from error
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone("invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=1)
def _mainland_mobile_pattern() -> re.Pattern:
    import phonenumbers

    return re.compile(phonenumbers.PhoneMetadata.metadata_for_region("CN").mobile.national_number_pattern)


def national_digits(e164: str) -> str:
    """'+8613812345678' → '13812345678' (what people type), other countries keep their code."""
    return e164[3:] if e164.startswith("+86") else e164.lstrip("+")


def sort_key(name: str, kind: str) -> str:
    """Pinyin, syllables spaced so that 'xi an' sorts before 'xian'; the name breaks ties."""
    from crmweb.clients.names import pinyin_syllables

    return (" ".join(pinyin_syllables(name, kind == "person")) + "|" + normalise(name))[:200]


def display_phone(e164: str | None) -> str:
    """'+8613812345678' → '138 1234 5678'; numbers abroad in international form."""
    if not e164:
        return ""
    if len(e164) == 14 and e164.startswith("+861"):  # a mainland mobile, the common case: no parsing
        return f"{e164[3:6]} {e164[6:10]} {e164[10:]}"
    import phonenumbers

    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return e164
    style = (phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 86
             else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, style)


SUFFIX_KEY_LENGTH = 24
# Lower weight is a better match.
W_NAME, W_NAME_PART, W_PINYIN_PART, W_CONTACT, W_CONTACT_PART, W_REACH = 0, 1, 2, 3, 4, 5


@dataclass(frozen=True)
class ContactKeys:
    name: str
    mobile: str | None = None
    phone: str | None = None
    email: str | None = None


def _suffixes(text: str) -> list[str]:
    """Every tail of two characters or more: 华通 finds 徐州华通."""
    return [text[i:i + SUFFIX_KEY_LENGTH] for i in range(1, len(text) - 1)]


def _syllable_suffixes(syllables) -> list[str]:
    return ["".join(syllables[i:])[:SUFFIX_KEY_LENGTH] for i in range(1, len(syllables) - 1)]


def _name_keys(name: str, person: bool, whole: int, part: int, pinyin_part: int):
    from crmweb.clients.names import pinyin_syllables

    text = normalise(name)
    if not text:
        return
    syllables = pinyin_syllables(name, person)
    full, initials = "".join(syllables), "".join(s[0] for s in syllables if s)
    yield text[:SUFFIX_KEY_LENGTH], whole
    for suffix in _suffixes(text):
        yield suffix, part
    if full != text:
        yield full[:SUFFIX_KEY_LENGTH], part
        yield initials[:SUFFIX_KEY_LENGTH], part
        for suffix in _syllable_suffixes(syllables):
            yield suffix, pinyin_part
        initials_list = [s[0] for s in syllables if s]
        for suffix in _syllable_suffixes(initials_list):
            yield suffix, pinyin_part


def search_keys(client_name: str, kind: str, contacts: list[ContactKeys]) -> list[tuple[str, int]]:
    """Every key a client can be found by, each with its best weight."""
    best: dict[str, int] = {}

    def add(key: str, weight: int):
        if key and weight < best.get(key, 99):
            best[key] = weight

    for key, weight in _name_keys(client_name, kind == "person", W_NAME, W_NAME_PART, W_PINYIN_PART):
        add(key, weight)
    for contact in contacts:
        for key, weight in _name_keys(contact.name, True, W_CONTACT, W_CONTACT_PART, W_CONTACT_PART):
            add(key, weight)
        for number in (contact.mobile, contact.phone):
            if number:
                digits = national_digits(number)
                add(digits, W_REACH)
                add(digits[-4:], W_REACH)
        if contact.email:
            add(contact.email.lower()[:SUFFIX_KEY_LENGTH], W_REACH)
    return sorted(best.items())


def search_prefix(query: str) -> str:
    """The key prefix a typed query looks for: folded like the keys, phone punctuation dropped."""
    text = normalise(query)
    digits = text.replace("-", "").replace("+86", "", 1) if text.startswith("+86") else text
    if digits.replace("-", "").isdigit():
        return digits.replace("-", "")
    return text[:SUFFIX_KEY_LENGTH]
