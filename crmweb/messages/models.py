"""Messages: the outbox every SMS and email is first written to, and who opted out of what.

The outbox is the truth: a message exists once (its idempotency key is unique), a worker may
send it only after winning it (queued → sending, a conditional UPDATE), and what happened is kept
on the row: sent with the provider's message id, delivered when the provider reports it, failed
with the provider's reason, skipped with ours, unknown when a worker died mid-send.
"""
from datetime import datetime, time
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crmweb.database import allowed_values
from crmweb.extensions import db
from crmweb.timeutil import UTCDateTime


class Channel(StrEnum):
    SMS = "sms"
    EMAIL = "email"


class OutboxStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    SKIPPED = "skipped"
    UNKNOWN = "unknown"   # a worker died while sending: a person checks, nothing is resent blindly


class SendStatus(StrEnum):
    PREPARING = "preparing"   # written; its messages are being put in the outbox (a job)
    SENDING = "sending"       # its messages are in the outbox
    CANCELLED = "cancelled"


class MessageTemplate(db.Model):
    """A text with placeholders; for SMS also the provider's registered template and its parameter
    names (Chinese providers send only pre-registered templates)."""

    __tablename__ = "message_templates"
    __table_args__ = (*allowed_values("channel", Channel),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    channel: Mapped[str] = mapped_column(sa.String(10))
    subject: Mapped[str] = mapped_column(sa.String(200), default="")
    body: Mapped[str] = mapped_column(sa.String(2000))
    provider_template: Mapped[str] = mapped_column(sa.String(64), default="")
    provider_params: Mapped[str] = mapped_column(sa.String(200), default="")  # name=placeholder, …
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MessageSend(db.Model):
    """One send of a template to a selection of clients' contacts, now or at a time."""

    __tablename__ = "message_sends"
    __table_args__ = (*allowed_values("status", SendStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("message_templates.id"))
    selection: Mapped[str] = mapped_column(sa.Text)            # the filters, as JSON
    description: Mapped[str] = mapped_column(sa.String(300))   # the filters, as people read them
    status: Mapped[str] = mapped_column(sa.String(10), default=SendStatus.PREPARING)
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    template: Mapped[MessageTemplate] = relationship()


class GreetingKind(StrEnum):
    BIRTHDAY = "birthday"    # each contact's birthday, solar or lunar
    FESTIVAL = "festival"    # 春节, 中秋 … (rules.FESTIVALS)
    DATE = "date"            # a day of the company's choosing, every year (month and day)
    FOUNDING = "founding"    # each client's founding day (客户成立纪念日)


class GreetingRule(db.Model):
    """A greeting that runs every day by itself: which clients, which day, which template, when."""

    __tablename__ = "greeting_rules"
    __table_args__ = (*allowed_values("kind", GreetingKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    kind: Mapped[str] = mapped_column(sa.String(10))
    festival: Mapped[str] = mapped_column(sa.String(10), default="")
    month: Mapped[int | None]
    day: Mapped[int | None]
    tiers: Mapped[str] = mapped_column(sa.String(40), default="")   # comma-separated; empty: every tier
    vip_only: Mapped[bool] = mapped_column(default=False)
    label_id: Mapped[int | None] = mapped_column(sa.ForeignKey("client_labels.id", ondelete="SET NULL"))
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("message_templates.id"))
    days_before: Mapped[int] = mapped_column(default=0)
    send_time: Mapped[time] = mapped_column(sa.Time, default=time(9, 0))  # local time of day
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    template: Mapped[MessageTemplate] = relationship()

    @property
    def tier_list(self) -> list[str]:
        return [tier for tier in self.tiers.split(",") if tier]


class OptOut(db.Model):
    """A contact who asked for no more messages on a channel: kept forever, respected by all."""

    __tablename__ = "message_opt_outs"

    contact_id: Mapped[int] = mapped_column(sa.ForeignKey("contacts.id", ondelete="CASCADE"),
                                            primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(20))   # reply | link | staff
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OutboxMessage(db.Model):
    __tablename__ = "outbox"
    __table_args__ = (
        *allowed_values("channel", Channel), *allowed_values("status", OutboxStatus),
        sa.Index("ix_outbox_due", "status", "not_before"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What makes this message this one (rule + contact + day, send + contact …): never two rows.
    idempotency_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    channel: Mapped[str] = mapped_column(sa.String(10))
    send_id: Mapped[int | None] = mapped_column(sa.ForeignKey("message_sends.id", ondelete="SET NULL"),
                                                index=True)
    client_id: Mapped[int | None] = mapped_column(sa.ForeignKey("clients.id", ondelete="SET NULL"),
                                                  index=True)
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id", ondelete="SET NULL"))
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200), default="")
    body: Mapped[str] = mapped_column(sa.Text)
    # For SMS providers that send only registered templates: its code and our values, as JSON.
    provider_template: Mapped[str] = mapped_column(sa.String(64), default="")
    params: Mapped[str] = mapped_column(sa.String(1000), default="")
    status: Mapped[str] = mapped_column(sa.String(10), default=OutboxStatus.QUEUED)
    not_before: Mapped[datetime] = mapped_column(UTCDateTime())  # quiet hours, back-off
    attempts: Mapped[int] = mapped_column(default=0)
    provider_message_id: Mapped[str | None] = mapped_column(sa.String(100), index=True)
    error: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
