"""Gifts (客户馈赠): the catalogue and its stock, every movement in or out kept.

Stock never goes below zero, and never below what approved allocations hold: the database refuses
it (check constraints), and every change is one conditional UPDATE, so two people issuing the last
items at once cannot both succeed.
"""
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crmweb.auth.models import User
from crmweb.database import allowed_values
from crmweb.extensions import db
from crmweb.gifts.rules import GiftKind, MovementKind
from crmweb.timeutil import UTCDateTime


class Gift(db.Model):
    __tablename__ = "gifts"
    __table_args__ = (
        *allowed_values("kind", GiftKind),
        sa.CheckConstraint("stock >= 0", name="stock_not_negative"),
        sa.CheckConstraint("reserved >= 0 AND reserved <= stock", name="reserved_within_stock"),
        sa.CheckConstraint("unit_value >= 0", name="value_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    unit_value: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))
    supplier: Mapped[str] = mapped_column(sa.String(200), default="")
    stock: Mapped[int] = mapped_column(default=0)
    reserved: Mapped[int] = mapped_column(default=0)
    low_level: Mapped[int] = mapped_column(default=10)   # warn when what is available falls to this
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StockMovement(db.Model):
    __tablename__ = "gift_stock_movements"
    __table_args__ = (*allowed_values("kind", MovementKind),
                      sa.Index("ix_gift_movements_gift_at", "gift_id", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    gift_id: Mapped[int] = mapped_column(sa.ForeignKey("gifts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(10))
    change: Mapped[int]                   # + in, − out
    stock_after: Mapped[int]
    reason: Mapped[str] = mapped_column(sa.String(200), default="")
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())

    actor: Mapped[User | None] = relationship()
