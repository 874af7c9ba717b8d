"""Rules of the client archive as pure functions: no Flask, no database; time is a parameter."""
import calendar
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

from crmweb.clients.names import normalise, pinyin_syllables


class Stage(StrEnum):
    PROSPECT = "prospect"
    CUSTOMER = "customer"
    LOST = "lost"


class Tier(StrEnum):
    GENERAL = "general"
    IMPORTANT = "important"
    KEY = "key"


class Kind(StrEnum):
    COMPANY = "company"
    PERSON = "person"


class VipStatus(StrEnum):
    """none → eligible (by rule) or applied (by a person) → vip (a manager approved)."""
    NONE = "none"
    ELIGIBLE = "eligible"
    APPLIED = "applied"
    VIP = "vip"


class AccessStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    REVOKED = "revoked"


class EventKind(StrEnum):
    SALE = "sale"
    INSTALLATION = "installation"
    REPAIR = "repair"
    REPAIR_LATE = "repair_late"   # a repair visit that overran the time promised
    COMPLAINT = "complaint"
    PROPOSAL = "proposal"


# The database refuses any other value (check constraints named after the column).
STAGES, TIERS, KINDS = tuple(Stage), tuple(Tier), tuple(Kind)
EVENT_KINDS = tuple(EventKind)
INTERACTION_KINDS = ("visit", "callback", "reception", "complaint", "proposal", "communication", "activity")
CHANNELS = ("phone", "visit", "wechat", "email", "sms", "letter", "other")
# The largest amount a money column (14 digits, 2 after the point) holds.
MONEY_MAX = Decimal("999999999999.99")
# One sale larger than this is a typing mistake, not a purchase.
SALE_MAX = Decimal("9999999999.99")

# Who may do what to one client's archive (DESIGN §2). `reads_any` and the like say whether the
# person's role holds the company-wide permission; the owner and a grant holder get the rest.

def _owns(user_id: int | None, owner_id: int | None) -> bool:
    return owner_id is not None and owner_id == user_id


def may_read_confidential(reads_any: bool, user_id: int | None, owner_id: int | None,
                          has_grant: bool) -> bool:
    """Directors and managers read every archive's secrets; others their own or by a grant."""
    return reads_any or _owns(user_id, owner_id) or has_grant


def may_edit_archive(edits_any: bool, user_id: int | None, owner_id: int | None) -> bool:
    """数据更新由指定人员维护: the owner, or a role that keeps every archive."""
    return edits_any or _owns(user_id, owner_id)


def may_see_archive(reads_any: bool, user_id: int | None, owner_id: int | None, has_grant: bool) -> bool:
    """Contacts and the timeline: company-wide roles, the owner, a grant holder. Sales see other
    owners' clients by name, tier and owner only."""
    return reads_any or _owns(user_id, owner_id) or has_grant


def sees_full_list_row(reads_secrets: bool, user_id: int | None, owner_id: int | None) -> bool:
    """Lists show other owners' clients with name, tier and owner only."""
    return reads_secrets or _owns(user_id, owner_id)


# How long the author of an interaction or event may still correct it alone.
CORRECTION_WINDOW = timedelta(days=1)


def may_correct_record(is_author: bool, corrects_any: bool, created_at: datetime, now: datetime) -> bool:
    """An entry made by mistake: its author corrects or voids it within a day, a supervisor (or
    anyone who keeps every archive) at any time."""
    return corrects_any or (is_author and now - created_at <= CORRECTION_WINDOW)


def shown_vip_status(status: str, sees_dealings: bool) -> str:
    """"VIP eligible" is computed from purchases: shown only to who may read the dealings."""
    return "none" if status == "eligible" and not sees_dealings else status


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


@lru_cache(maxsize=64)  # asked by every today page for the same week: lunar-python is slow to ask
def birthday_dates(first_day: date, days: int) -> Mapping[BirthdayKey, date]:
    """The birthdays that fall on the `days` days from `first_day`, each with the day it falls on.

    Lunar dates come from lunar-python. As people keep them: a 29 February falls on the 28th in
    other years; a lunar 30th on the 29th when the month is short; a birthday in a leap month on
    the same day of the ordinary month in years without that leap month.
    """
    from lunar_python import LunarMonth, LunarYear, Solar  # noqa: PLC0415 (only when lunar dates are computed)

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
    return MappingProxyType(found)  # shared by every caller: read only


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
    import phonenumbers  # noqa: PLC0415 (its metadata takes a while to load: only when a number is read)

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


@dataclass(frozen=True)
class PhoneNumber:
    number: str        # E.164; a 400/800 or short service number as dialled; or as written
    normalised: bool   # False: kept as written and flagged for a person to check
    mobile: bool       # a mobile we can text and recognise the person by


_HOTLINE = re.compile(r"(?:400|800)\d{7}")   # 400/800 numbers are dialled as they are, inside China
PHONE_MAX_LENGTH = 40


def read_phone(raw: str, typed_mobile: bool = False) -> PhoneNumber | None:
    """Any number people keep, never refused: E.164 where it can be normalised (+86 by default,
    other countries by their code), service numbers such as 95338 or 400… as such, anything else
    (a dial string with pauses, an extension, a placeholder) kept as written and flagged."""
    import phonenumbers  # noqa: PLC0415 (its metadata takes a while to load: only when a number is read)
    from phonenumbers import shortnumberinfo  # noqa: PLC0415 (its metadata takes a while to load: only when a number is read)

    text = " ".join((raw or "").split())[:PHONE_MAX_LENGTH]
    if not text:
        return None
    digits = text.translate(_PHONE_PUNCTUATION)
    if _HOTLINE.fullmatch(digits):
        return PhoneNumber(digits, True, False)
    if digits.isdigit() and len(digits) <= 6:
        short = phonenumbers.PhoneNumber(country_code=86, national_number=int(digits))
        if shortnumberinfo.is_valid_short_number_for_region(short, "CN"):
            return PhoneNumber(digits, True, False)
    try:
        number = normalise_phone(text)
    except InvalidPhone:
        return PhoneNumber(text, False, False)
    mainland_mobile = number.startswith("+861") and len(number) == 14
    return PhoneNumber(number, True, mainland_mobile or (typed_mobile and not number.startswith("+86")))


def phone_is_normalised(stored: str | None) -> bool:
    """What read_phone kept as written is shown flagged."""
    if not stored:
        return True
    found = read_phone(stored)
    return found is not None and found.normalised and found.number == stored


@lru_cache(maxsize=1)
def _mainland_mobile_pattern() -> re.Pattern:
    import phonenumbers  # noqa: PLC0415 (its metadata takes a while to load: only when a number is read)

    return re.compile(phonenumbers.PhoneMetadata.metadata_for_region("CN").mobile.national_number_pattern)


def national_digits(e164: str) -> str:
    """'+8613812345678' → '13812345678' (what people type), other countries keep their code; of a
    number kept as written, its digits."""
    if e164.startswith("+86"):
        return e164[3:]
    return re.sub(r"\D", "", e164)


def sort_key(name: str, kind: str) -> str:
    """Pinyin, syllables spaced so that 'xi an' sorts before 'xian'; the name breaks ties."""

    return (" ".join(pinyin_syllables(name, kind == "person")) + "|" + normalise(name))[:200]


def company_key(name: str) -> str:
    """The name as a duplicate check compares it: width, case, spaces and punctuation folded, and
    有限责任公司 the same as 有限公司 ('徐州华通 机械（有限责任公司）' is '徐州华通机械有限公司')."""
    text = unicodedata.normalize("NFKC", name or "").lower()
    text = re.sub(r"[\s()（）\[\]【】·.,，、\-_]+", "", text)
    return text.replace("有限责任公司", "有限公司")[:200]


def display_phone(e164: str | None) -> str:
    """'+8613812345678' → '138 1234 5678'; numbers abroad in international form; service numbers
    and numbers kept as written as they are."""
    if not e164:
        return ""
    if len(e164) == 14 and e164.startswith("+861"):  # a mainland mobile, the common case: no parsing
        return f"{e164[3:6]} {e164[6:10]} {e164[10:]}"
    if _HOTLINE.fullmatch(e164):
        return f"{e164[:3]} {e164[3:6]} {e164[6:]}"
    if not e164.startswith("+"):
        return e164
    import phonenumbers  # noqa: PLC0415 (its metadata takes a while to load: only when a number is read)

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
    other_phones: str | None = None  # one a line


def _suffixes(text: str) -> list[str]:
    """Every tail of two characters or more: 华通 finds 徐州华通."""
    return [text[i:i + SUFFIX_KEY_LENGTH] for i in range(1, len(text) - 1)]


def _syllable_suffixes(syllables) -> list[str]:
    return ["".join(syllables[i:])[:SUFFIX_KEY_LENGTH] for i in range(1, len(syllables) - 1)]


def _name_keys(name: str, person: bool, whole: int, part: int, pinyin_part: int):

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
        for number in (contact.mobile, contact.phone, *(contact.other_phones or "").splitlines()):
            digits = national_digits(number) if number else ""
            if len(digits) >= 3:
                add(digits[:SUFFIX_KEY_LENGTH], W_REACH)
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
