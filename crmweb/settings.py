"""Settings a manager may change: each area declares its own with their defaults; they are kept
as rows so that every process sees a change at once, and read through `get_setting`."""
from datetime import datetime, time

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy.orm import Mapped, mapped_column

from crmweb.auth.audit import record_audit
from crmweb.extensions import db
from crmweb.timeutil import UTCDateTime

# Every area declares its own settings (see `declare`); this is the registry they fill.
DEFAULTS: dict = {}


def declare(defaults: dict) -> dict:
    """An area's settings and their defaults; a default's type says how its stored text is read."""
    taken = DEFAULTS.keys() & defaults.keys()
    if taken:
        raise ValueError(f"settings declared twice: {sorted(taken)}")
    DEFAULTS.update(defaults)
    return defaults


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


def change_settings(actor, area: str, values: dict, now: datetime) -> None:
    """A manager's changes to an area's settings, audited as one change; the caller commits."""
    for key, value in values.items():
        set_setting(key, value, actor, now)
    record_audit("settings.changed", target_type="settings", target_id=area, actor=actor, now=now,
                 detail=" ".join(f"{key}={value}" for key, value in values.items()))
