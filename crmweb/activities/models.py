"""Client activities (客户活动) and new-product trials: the activity, the people responsible, each
invited contact with their answer, pass and feedback, and the costs against the budget.

A personal link's token is never stored: only its SHA-256, so the table cannot be read into links.
"""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crmweb.activities.rules import Kind, Status
from crmweb.auth.models import User
from crmweb.clients.models import Client, Contact, Money
from crmweb.database import allowed_values
from crmweb.extensions import db
from crmweb.timeutil import UTCDateTime

activity_organisers = sa.Table(
    "activity_organisers",
    db.metadata,
    sa.Column("activity_id", sa.ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Activity(db.Model):
    __tablename__ = "activities"
    __table_args__ = (
        *allowed_values("kind", Kind),
        sa.CheckConstraint("ends_at > starts_at", name="span"),
        sa.CheckConstraint("capacity > 0", name="capacity"),
        sa.Index("ix_activities_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(100))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(sa.String(200))
    capacity: Mapped[int]
    budget: Mapped[Decimal] = mapped_column(Money, default=0)
    purpose: Mapped[str] = mapped_column(sa.String(2000), default="")
    plan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plans.id", ondelete="SET NULL"))
    # New-product trials: the product tried and the day its feedback is due.
    product: Mapped[str] = mapped_column(sa.String(100), default="")
    feedback_due_on: Mapped[date | None]
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    organisers: Mapped[list[User]] = relationship(secondary=activity_organisers, order_by=User.display_name)
    invitations: Mapped[list["Invitation"]] = relationship(
        back_populates="activity", order_by="Invitation.id", cascade="all, delete-orphan"
    )
    costs: Mapped[list["ActivityCost"]] = relationship(
        order_by="ActivityCost.id", cascade="all, delete-orphan"
    )

    @property
    def is_trial(self) -> bool:
        return self.kind == Kind.TRIAL


class Invitation(db.Model):
    """One person at an activity: invited (or come without an invitation), their answer, their
    pass once they accepted, whether they came, what they said afterwards."""

    __tablename__ = "activity_invitations"
    __table_args__ = (
        *allowed_values("status", Status),
        sa.UniqueConstraint("activity_id", "contact_id", name="uq_activity_invitations_contact"),
        sa.Index("ix_activity_invitations_activity_status", "activity_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activities.id", ondelete="CASCADE"))
    client_id: Mapped[int | None] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(sa.String(50))  # as invited (a walk-in's as given at the door)
    status: Mapped[str] = mapped_column(sa.String(12), default=Status.INVITED)
    walk_in: Mapped[bool] = mapped_column(default=False)
    channel: Mapped[str] = mapped_column(sa.String(10), default="")  # how the invitation went out
    rsvp_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the answer took or waited for a seat: the waiting list is served in this order.
    seated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pass_code: Mapped[str | None] = mapped_column(sa.String(16), unique=True)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    product_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # trials
    feedback_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    feedback_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rating: Mapped[int | None]  # 1–5
    feedback: Mapped[str] = mapped_column(sa.String(2000), default="")
    interested: Mapped[bool] = mapped_column(default=False)  # asked to hear more: a follow-up call
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    activity: Mapped[Activity] = relationship(back_populates="invitations")
    client: Mapped[Client | None] = relationship()
    contact: Mapped[Contact | None] = relationship()


class ActivityCost(db.Model):
    __tablename__ = "activity_costs"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(sa.String(100))
    amount: Mapped[Decimal] = mapped_column(Money)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
