"""Client visits (参观接待): meeting rooms, bookings, the visitors and their passes, walk-ins.

That one room is never held twice at once is kept by the database itself (migration
0b7e4d2c9a13): an exclusion constraint over the time range on PostgreSQL, triggers inside
SQLite's single writer. The code checks first only to give a friendly answer sooner.
"""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crmweb.auth.models import User
from crmweb.bookings.rules import VisitStatus
from crmweb.clients.models import Client
from crmweb.database import allowed_values
from crmweb.extensions import db
from crmweb.timeutil import UTCDateTime

# The message both databases' guards raise, so that the code can tell this refusal apart.
ROOM_TAKEN = "booking_room_taken"


class MeetingRoom(db.Model):
    __tablename__ = "meeting_rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    capacity: Mapped[int]
    equipment: Mapped[str] = mapped_column(sa.String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Booking(db.Model):
    """A client's visit: who comes, when, where, who hosts; approved, it issues the passes."""

    __tablename__ = "bookings"
    __table_args__ = (
        *allowed_values("status", VisitStatus),
        sa.CheckConstraint("ends_at > starts_at", name="span"),
        sa.Index("ix_bookings_room_time", "room_id", "starts_at"),
        sa.Index("ix_bookings_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting_rooms.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(sa.String(12), default=VisitStatus.REQUESTED)
    # The client's tier when booked: the rules that applied then stay the rules of this visit.
    tier: Mapped[str] = mapped_column(sa.String(20))
    purpose: Mapped[str] = mapped_column(sa.String(500))
    areas: Mapped[str] = mapped_column(sa.String(200), default="")  # comma-separated rules.Area
    host_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    guide_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # Key clients' preparation checklist.
    needs_analysed: Mapped[bool] = mapped_column(default=False)
    rehearsed: Mapped[bool] = mapped_column(default=False)
    meals_arranged: Mapped[bool] = mapped_column(default=False)
    senior_manager_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    informal: Mapped[bool] = mapped_column(default=False)
    holiday_allowed: Mapped[bool] = mapped_column(default=False)
    photography_allowed: Mapped[bool] = mapped_column(default=False)
    souvenirs: Mapped[int] = mapped_column(default=0)
    # The souvenirs drawn on the gift stock: reserved at approval, issued at the first check-in.
    souvenir_gift_id: Mapped[int | None] = mapped_column(sa.ForeignKey("gifts.id"))
    souvenirs_reserved: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The visit is on the client's timeline from its first check-in.
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    client: Mapped[Client] = relationship()
    room: Mapped[MeetingRoom] = relationship()
    host: Mapped[User] = relationship(foreign_keys=[host_id])
    guide: Mapped[User | None] = relationship(foreign_keys=[guide_id])
    senior_manager: Mapped[User | None] = relationship(foreign_keys=[senior_manager_id])
    visitors: Mapped[list["Visitor"]] = relationship(back_populates="booking", order_by="Visitor.id",
                                                     cascade="all, delete-orphan")

    @property
    def expected(self) -> list["Visitor"]:
        """The visitors still coming: not those whose pass a change or a cancellation voided."""
        return [visitor for visitor in self.visitors if visitor.voided_at is None]

    @property
    def area_list(self) -> list[str]:
        return [area for area in (self.areas or "").split(",") if area]

    @property
    def checklist_complete(self) -> bool:
        return self.needs_analysed and self.rehearsed and self.meals_arranged and bool(self.senior_manager_id)


class Visitor(db.Model):
    """One person of a booking; approved, a pass: a short code nobody can guess, once a day."""

    __tablename__ = "booking_visitors"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(sa.ForeignKey("bookings.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(50))
    pass_code: Mapped[str | None] = mapped_column(sa.String(16), unique=True)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    booking: Mapped[Booking] = relationship(back_populates="visitors")


class WalkIn(db.Model):
    """Someone who came without a booking: recorded at the desk, their host asked."""

    __tablename__ = "walk_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50))
    company: Mapped[str] = mapped_column(sa.String(200), default="")
    purpose: Mapped[str] = mapped_column(sa.String(200), default="")
    host_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))

    host: Mapped[User | None] = relationship(foreign_keys=[host_id])
