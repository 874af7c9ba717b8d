"""Time is stored in UTC and shown in TZ_NAME (Asia/Shanghai by default)."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, g, has_request_context


def utcnow() -> datetime:
    """The clock, read only at the edges (views, commands, jobs); services take `now`."""
    return datetime.now(UTC)


def request_now() -> datetime:
    """The moment of this request: read once, the same for every part of the page that asks."""
    if not has_request_context():
        return utcnow()
    if "now" not in g:
        g.now = utcnow()
    return g.now


def local_zone() -> ZoneInfo:
    """The zone people live in (TZ_NAME): what they type and read, and where their days begin."""
    return ZoneInfo(current_app.config["TZ_NAME"])


class UTCDateTime(sa.types.TypeDecorator):
    """Stores naive UTC on every database and hands back aware UTC datetimes."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC was expected")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return value.replace(tzinfo=UTC) if value is not None else None
