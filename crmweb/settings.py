"""Business thresholds that a manager may change, with their defaults.

Kept as rows so that every process sees a change at once; read through `get_setting`.
"""
from datetime import datetime, time
from decimal import Decimal

import sqlalchemy as sa
from flask import g, has_request_context
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


def parse_setting(default, text: str):
    """A stored text read back as the type of its default: bool (so that "False" is false),
    int, Decimal, time of day ("08:00"), list ("a,b"), or text."""
    if isinstance(default, bool):
        return text.strip().lower() in ("true", "1", "yes", "on")
    if isinstance(default, time):
        return time.fromisoformat(text.strip())
    if isinstance(default, (list, tuple)):
        return type(default)(part.strip() for part in text.split(",") if part.strip())
    return type(default)(text)


def format_setting(value) -> str:
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, (list, tuple)):
        return ",".join(str(part) for part in value)
    return str(value)


def _stored() -> dict[str, str]:
    """Every stored setting, read once per request (a page asks for several)."""
    if has_request_context() and "settings" in g:
        return g.settings
    stored = dict(db.session.execute(sa.select(Setting.key, Setting.value)).all())
    if has_request_context():
        g.settings = stored
    return stored


def get_setting(key: str):
    default = DEFAULTS[key]
    text = _stored().get(key)
    return default if text is None else parse_setting(default, text)


def set_setting(key: str, value, actor, now: datetime) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    row = db.session.get(Setting, key) or Setting(key=key)
    row.value, row.updated_by_id, row.updated_at = format_setting(value), actor.id, now
    db.session.add(row)
    if has_request_context() and "settings" in g:
        g.settings[key] = row.value


def rhythm_days(session=None) -> dict[tuple[str, str], int]:
    """Days between contacts that each (stage, tier) asks for: ("customer", "key") → 30."""
    session = session or db.session
    stored = dict(session.execute(sa.select(Setting.key, Setting.value)
                                  .where(Setting.key.startswith("rhythm."))).all())
    return {(stage, tier): int(stored.get(rhythm_key(stage, tier), days))
            for stage, days in RHYTHM_DEFAULT_DAYS.items() for tier in RHYTHM_TIERS}
