"""Contracts with a client: the dates reminders are kept by, and the amount (confidential, like
the client's business dealings)."""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crmweb.clients.models import Client, Money
from crmweb.contracts import rules
from crmweb.extensions import db
from crmweb.timeutil import UTCDateTime


class Contract(db.Model):
    __tablename__ = "contracts"
    __table_args__ = (
        sa.CheckConstraint("renewal_notice_days >= 0", name="notice"),
        sa.CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="span"),
        sa.Index("ix_contracts_ends_on", "ends_on"),
        sa.Index("ix_contracts_signing_due_on", "signing_due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title: Mapped[str] = mapped_column(sa.String(100))
    amount: Mapped[Decimal | None] = mapped_column(Money)  # confidential: the dealings
    signing_due_on: Mapped[date | None]  # the day the client must sign by
    signed_on: Mapped[date | None]
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    renewal_notice_days: Mapped[int] = mapped_column(default=30)
    notes: Mapped[str] = mapped_column(sa.String(500), default="")
    # The day each reminder was last sent about: a changed date sends it again, once.
    signing_reminded_for: Mapped[date | None]
    renewal_reminded_for: Mapped[date | None]
    expiry_reminded_for: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    client: Mapped[Client] = relationship()

    @property
    def dates(self) -> rules.Dates:
        return rules.Dates(
            self.signing_due_on, self.signed_on, self.starts_on, self.ends_on, self.renewal_notice_days or 0
        )
