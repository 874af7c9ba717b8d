"""The client archive's settings: VIP thresholds, the length of an access grant, and the
stay-in-touch rhythm of each stage and tier (DESIGN §3)."""
from decimal import Decimal

from crmweb.settings import declare, get_setting

RHYTHM_DEFAULT_DAYS = {"prospect": 7, "customer": 30}  # prospects weekly, customers monthly
RHYTHM_TIERS = ("general", "important", "key")


def rhythm_key(stage: str, tier: str) -> str:
    """The setting that holds the stay-in-touch days of a stage and tier."""
    return f"rhythm.{stage}_days.{tier}"


declare({
    # VIP eligibility: one high-end purchase, or one calendar month.
    "vip.single_purchase_min": Decimal("10000"),
    "vip.monthly_purchase_min": Decimal("20000"),
    "archive.grant_days": 7,
    **{rhythm_key(stage, tier): days for stage, days in RHYTHM_DEFAULT_DAYS.items() for tier in RHYTHM_TIERS},
})


def rhythm_days() -> dict[tuple[str, str], int]:
    """Days between contacts that each (stage, tier) asks for: ("customer", "key") → 30."""
    return {(stage, tier): get_setting(rhythm_key(stage, tier))
            for stage in RHYTHM_DEFAULT_DAYS for tier in RHYTHM_TIERS}
