"""Gifts (客户馈赠): the catalogue and its stock, every movement in or out kept.

Stock never goes below zero, and never below what approved allocations hold: the database refuses
it (check constraints), and every change is one conditional UPDATE, so two people issuing the last
items at once cannot both succeed.
"""
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crmweb.auth.models import User
from crmweb.clients.models import Client
from crmweb.database import allowed_values
from crmweb.extensions import db
from crmweb.gifts.rules import Category, GiftKind, MovementKind
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


class AllocationStatus(StrEnum):
    DRAFT = "draft"          # on the list being compiled
    SUBMITTED = "submitted"  # the list is with its approver
    APPROVED = "approved"    # stock reserved; may be sent
    RETURNED = "returned"    # sent back with a comment
    SENT = "sent"


class Campaign(db.Model):
    """A gift campaign (2027 中秋礼品): a period and a budget the allocations may not pass."""

    __tablename__ = "gift_campaigns"
    __table_args__ = (sa.CheckConstraint("committed >= 0 AND committed <= budget", name="within_budget"),
                      sa.CheckConstraint("ends_on >= starts_on", name="period"))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    occasion: Mapped[str] = mapped_column(sa.String(20), default="")   # 中秋 … when from the calendar
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    budget: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
    committed: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2), default=Decimal(0))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    categories: Mapped[list["CampaignCategory"]] = relationship(order_by="CampaignCategory.category",
                                                                cascade="all, delete-orphan")


class CampaignCategory(db.Model):
    """A category's limits in a campaign: the most per gift, and how many recipients at most."""

    __tablename__ = "gift_campaign_categories"
    __table_args__ = (*allowed_values("category", Category),
                      sa.CheckConstraint("taken >= 0 AND taken <= quota", name="within_quota"))

    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("gift_campaigns.id", ondelete="CASCADE"),
                                             primary_key=True)
    category: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    value_cap: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))
    quota: Mapped[int]
    taken: Mapped[int] = mapped_column(default=0)


class Allocation(db.Model):
    """One client's gift in a campaign: once per client and campaign."""

    __tablename__ = "gift_allocations"
    __table_args__ = (*allowed_values("category", Category), *allowed_values("status", AllocationStatus),
                      sa.UniqueConstraint("campaign_id", "client_id", name="uq_gift_allocations_once"),
                      sa.CheckConstraint("quantity > 0", name="quantity_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("gift_campaigns.id", ondelete="CASCADE"),
                                             index=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id", ondelete="SET NULL"))
    category: Mapped[str] = mapped_column(sa.String(10))
    override_reason: Mapped[str] = mapped_column(sa.String(200), default="")
    gift_id: Mapped[int] = mapped_column(sa.ForeignKey("gifts.id"))
    quantity: Mapped[int] = mapped_column(default=1)
    unit_value: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))   # the gift's value when allocated
    status: Mapped[str] = mapped_column(sa.String(10), default=AllocationStatus.DRAFT)
    comment: Mapped[str] = mapped_column(sa.String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivery: Mapped[str] = mapped_column(sa.String(100), default="")   # by hand, courier …

    gift: Mapped[Gift] = relationship()
    client: Mapped[Client] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def value(self) -> Decimal:
        return self.unit_value * self.quantity
