"""Service cases (服务工单): the case with its deadlines and clock, what happened on it, and the
deadline table a manager keeps."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crmweb.auth.models import User
from crmweb.cases.rules import Cause, Kind, Severity, Status, Unit
from crmweb.clients.models import Client, Contact, Short, Text
from crmweb.database import allowed_values
from crmweb.extensions import db
from crmweb.timeutil import UTCDateTime


class CaseDeadline(db.Model):
    """A line of the deadline table: for a kind, a severity (or any) and a tier (or any), the first
    response and the resolution in working hours or working days."""

    __tablename__ = "case_deadlines"
    __table_args__ = (
        *allowed_values("response_unit", Unit),
        *allowed_values("resolution_unit", Unit),
        sa.UniqueConstraint("kind", "severity", "tier", name="uq_case_deadlines_line"),
        sa.CheckConstraint("response_amount > 0 AND resolution_amount > 0", name="positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    severity: Mapped[str] = mapped_column(sa.String(10), default="")  # "" any
    tier: Mapped[str] = mapped_column(sa.String(10), default="")  # "" any
    response_amount: Mapped[int]
    response_unit: Mapped[str] = mapped_column(sa.String(5))
    resolution_amount: Mapped[int]
    resolution_unit: Mapped[str] = mapped_column(sa.String(5))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Case(db.Model):
    __tablename__ = "cases"
    __table_args__ = (
        *allowed_values("kind", Kind),
        *allowed_values("severity", Severity),
        *allowed_values("status", Status),
        *allowed_values("cause", Cause),  # NULL passes: only complaints have a cause
        sa.CheckConstraint("escalation_level BETWEEN 0 AND 2", name="level"),
        sa.Index("ix_cases_status_resolution_due", "status", "resolution_due_at"),
        sa.Index("ix_cases_owner_status", "owner_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(sa.String(10))
    channel: Mapped[str] = mapped_column(sa.String(20))
    severity: Mapped[str] = mapped_column(sa.String(10), default=Severity.NORMAL)
    cause: Mapped[str | None] = mapped_column(sa.String(12))  # complaints
    product: Mapped[str] = mapped_column(Short, default="")
    description: Mapped[str] = mapped_column(Text)
    # The timeline event the case was recorded as (a complaint or a proposal received).
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("service_events.id", ondelete="SET NULL"))
    # The repair visit the case led to (its callback confirms the repair).
    repair_event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("service_events.id", ondelete="SET NULL")
    )
    # The callback that found the problem, and the one in which the client confirms it settled.
    found_in_callback_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("callbacks.id", ondelete="SET NULL")
    )
    confirmation_callback_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("callbacks.id", ondelete="SET NULL"), index=True
    )
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(sa.String(10), default=Status.OPEN)
    escalation_level: Mapped[int] = mapped_column(default=0)
    # The clock: limits as they were when opened (a later table change does not move them).
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    response_limit: Mapped[int]  # working minutes
    resolution_limit: Mapped[int]
    paused_minutes: Mapped[float] = mapped_column(sa.Float, default=0)
    paused_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    response_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # None while paused
    resolution_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Breaches stay recorded after the case closes.
    response_breached_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolution_breached_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolution: Mapped[str] = mapped_column(Text, default="")
    satisfaction: Mapped[int | None]
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    client: Mapped[Client] = relationship()
    contact: Mapped[Contact | None] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    entries: Mapped[list["CaseEntry"]] = relationship(order_by="CaseEntry.id", cascade="all, delete-orphan")


class CaseEntry(db.Model):
    """What happened on a case: opened, a note, a message to the client, assigned, escalated,
    waiting, resumed, resolved, reopened, closed."""

    __tablename__ = "case_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(12))
    text: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())

    actor: Mapped[User | None] = relationship()
