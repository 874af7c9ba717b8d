"""Business thresholds that a manager may change, with their defaults.

Kept as rows so that every process sees a change at once; read through `get_setting`.
"""
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from crmweb.extensions import db
from crmweb.timeutil import UTCDateTime

RHYTHM_DEFAULT_DAYS = {"prospect": 7, "customer": 30}
RHYTHM_TIERS = ("general", "important", "key")


def rhythm_key(stage: str, tier: str) -> str:
    """The setting that holds the stay-in-touch days of a stage and tier."""
    return f"rhythm.{stage}_days.{tier}"


DEFAULTS = {
    # VIP eligibility (DESIGN §3 / issue 3): one high-end purchase, or one calendar month.
    "vip.single_purchase_min": Decimal("10000"),
    "vip.monthly_purchase_min": Decimal("20000"),
    "archive.grant_days": 7,
    # Stay in touch (DESIGN §3): prospects at least weekly, customers at least monthly; a manager
    # may set each tier its own rhythm.
    **{rhythm_key(stage, tier): days for stage, days in RHYTHM_DEFAULT_DAYS.items() for tier in RHYTHM_TIERS},
}


class Setting(db.Model):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(200))
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


def get_setting(key: str):
    default = DEFAULTS[key]
    stored = db.session.get(Setting, key)
    return type(default)(stored.value) if stored else default


def set_setting(key: str, value, actor, now: datetime) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    row = db.session.get(Setting, key) or Setting(key=key)
    row.value, row.updated_by_id, row.updated_at = str(value), actor.id, now
    db.session.add(row)


def rhythm_days(session=None) -> dict[tuple[str, str], int]:
    """Days between contacts that each (stage, tier) asks for: ("customer", "key") → 30."""
    session = session or db.session
    stored = dict(session.execute(sa.select(Setting.key, Setting.value)
                                  .where(Setting.key.startswith("rhythm."))).all())
    return {(stage, tier): int(stored.get(rhythm_key(stage, tier), days))
            for stage, days in RHYTHM_DEFAULT_DAYS.items() for tier in RHYTHM_TIERS}
