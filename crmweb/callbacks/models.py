"""Callbacks (回访): the rules table events are called back by, each callback with its window and
its result, and the campaigns that pick clients to call."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crmweb.auth.models import User
from crmweb.callbacks.rules import ContentType, Method, Source, Status, Unit
from crmweb.clients.models import Client, Contact
from crmweb.database import allowed_values
from crmweb.extensions import db
from crmweb.timeutil import UTCDateTime


class CallbackRule(db.Model):
    """A line of the rules table (a manager edits it): an event kind calls for a callback this long
    after it, for this purpose; a rule is switched off, never deleted (callbacks point to it)."""

    __tablename__ = "callback_rules"
    __table_args__ = (*allowed_values("unit", Unit), *allowed_values("content_type", ContentType),
                      sa.CheckConstraint("starts_after >= 0 AND ends_after >= starts_after", name="window"),
                      # Also what lets two processes that write the plan at once write it once.
                      sa.UniqueConstraint("event_kind", "starts_after", "ends_after", "unit",
                                          name="uq_callback_rules_window"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_kind: Mapped[str] = mapped_column(sa.String(20))
    starts_after: Mapped[int]
    ends_after: Mapped[int]
    unit: Mapped[str] = mapped_column(sa.String(10), default=Unit.DAYS)
    content_type: Mapped[str] = mapped_column(sa.String(10))
    purpose: Mapped[str] = mapped_column(sa.String(200))
    # Who calls: this person, or (None) the client's owner.
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    assignee: Mapped[User | None] = relationship()


class CallbackCampaign(db.Model):
    """A round of calls to clients chosen by one of the rule book's methods."""

    __tablename__ = "callback_campaigns"
    __table_args__ = (*allowed_values("method", Method), *allowed_values("content_type", ContentType))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    method: Mapped[str] = mapped_column(sa.String(20))
    criteria: Mapped[str] = mapped_column(sa.String(300), default="")  # as the people who chose it said
    content_type: Mapped[str] = mapped_column(sa.String(10))
    purpose: Mapped[str] = mapped_column(sa.String(200))
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Callback(db.Model):
    """One call to make: to which client (and contact), why, in which window, by whom; and once
    made, its result (the 用户跟踪服务卡 entry on the client's timeline)."""

    __tablename__ = "callbacks"
    __table_args__ = (
        *allowed_values("status", Status), *allowed_values("source", Source),
        *allowed_values("content_type", ContentType),
        sa.CheckConstraint("closes_on >= opens_on", name="window"),
        # An event's rule calls for one callback, whatever records or corrects the event.
        sa.UniqueConstraint("event_id", "rule_id", name="uq_callbacks_event_rule"),
        sa.Index("ix_callbacks_assignee_open", "assignee_id", "status", "opens_on"),
        sa.Index("ix_callbacks_status_closes", "status", "closes_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(sa.String(10))
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("service_events.id", ondelete="SET NULL"))
    rule_id: Mapped[int | None] = mapped_column(sa.ForeignKey("callback_rules.id"))
    # The interaction whose "next follow-up" asked for this call.
    asked_in_id: Mapped[int | None] = mapped_column(sa.ForeignKey("interactions.id", ondelete="SET NULL"))
    campaign_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("callback_campaigns.id", ondelete="SET NULL"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(10))
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    call_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the time the client asked for
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(sa.String(10), default=Status.OPEN)
    tries: Mapped[int] = mapped_column(default=0)
    outcome: Mapped[str | None] = mapped_column(sa.String(10))
    rescheduled_because: Mapped[str] = mapped_column(sa.String(200), default="")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # The timeline entry that settled it: the call itself, or (a follow-up) the next touch.
    result_id: Mapped[int | None] = mapped_column(sa.ForeignKey("interactions.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    client: Mapped[Client] = relationship()
    contact: Mapped[Contact | None] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
