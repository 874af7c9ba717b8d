"""Client archives: 客户状况记录表 (Client, its confidential part), 客户资料记录卡 (Contact),
the timeline (Interaction, ServiceEvent), search keys and archive-access grants."""
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crmweb.auth.models import User
from crmweb.clients.rules import AccessStatus, Kind, Stage, Tier, VipStatus, contact_due_at
from crmweb.clients.settings import rhythm_days
from crmweb.database import allowed_values
from crmweb.extensions import db
from crmweb.timeutil import UTCDateTime, utcnow

Text = sa.String(2000)
Short = sa.String(200)
Money = sa.Numeric(14, 2)


class Client(db.Model):
    __tablename__ = "clients"
    __table_args__ = (
        sa.Index("ix_clients_owner_name", "owner_id", "name"),
        # Who is behind with whom (the team's today card, the callbacks page): counted from the index.
        sa.Index("ix_clients_owner_contact_due", "owner_id", "contact_due_at"),
        sa.Index("ix_clients_stage_tier", "stage", "tier"),
        *allowed_values("stage", Stage), *allowed_values("tier", Tier), *allowed_values("kind", Kind),
        *allowed_values("vip_status", VipStatus),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10), default="company")  # company | person
    name: Mapped[str] = mapped_column(Short, index=True)
    # Lists sort by pinyin, as people expect: 北京… before 上海…. Byte order ("C") on PostgreSQL,
    # as on SQLite: the same order on both, and no locale rules to slow the sort.
    sort_key: Mapped[str] = mapped_column(
        Short.with_variant(sa.String(200, collation="C"), "postgresql"), index=True, default="")
    # The name as duplicates are found by (rules.company_key): written wherever the name is.
    name_key: Mapped[str | None] = mapped_column(Short, index=True)
    stage: Mapped[str] = mapped_column(sa.String(10), default="prospect")
    tier: Mapped[str] = mapped_column(sa.String(10), default="general")
    # none → eligible (by rule) or applied (by a person) → vip (a manager approved)
    vip_status: Mapped[str] = mapped_column(sa.String(10), default="none", index=True)
    vip_reason: Mapped[str | None] = mapped_column(Short)
    vip_since: Mapped[date | None]
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    # basics
    address: Mapped[str | None] = mapped_column(Short)
    legal_representative: Mapped[str | None] = mapped_column(sa.String(64))
    general_manager: Mapped[str | None] = mapped_column(sa.String(64))
    main_business: Mapped[str | None] = mapped_column(Short)
    staff_count: Mapped[int | None]
    operating_status: Mapped[str | None] = mapped_column(Short)
    founded_on: Mapped[date | None]  # its founding day: a greeting every year
    # communication
    communication_channel: Mapped[str | None] = mapped_column(sa.String(20))
    contact_frequency: Mapped[str | None] = mapped_column(sa.String(20))
    # potential and satisfaction
    relationship_potential: Mapped[str | None] = mapped_column(sa.String(10))
    satisfaction: Mapped[int | None]
    # key clients, not confidential
    production_scale: Mapped[str | None] = mapped_column(Short)
    product_structure: Mapped[str | None] = mapped_column(Short)

    # Why and when a client was lost (流失原因): the loss analysis counts them.
    lost_reason: Mapped[str | None] = mapped_column(sa.String(20))
    lost_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    last_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # When the stay-in-touch rhythm wants the next contact; None for lost clients. Kept by
    # _keep_contact_due_current below, so that "overdue" is one index range on every database.
    contact_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    owner: Mapped[User | None] = relationship(lazy="joined")
    contacts: Mapped[list["Contact"]] = relationship(
        back_populates="client", order_by="(Contact.is_key_person.desc(), Contact.id)")
    labels: Mapped[list["ClientLabel"]] = relationship(secondary="client_label_links",
                                                       order_by="(ClientLabel.kind, ClientLabel.name)")

    @property
    def is_vip(self) -> bool:
        return self.vip_status == "vip"


class ClientConfidential(db.Model):
    """The confidential sections (商业秘密): read only by director, manager, the owner or a grant."""

    __tablename__ = "client_confidential"

    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"),
                                           primary_key=True)
    # financial status
    banks: Mapped[str | None] = mapped_column(Short)
    loan_status: Mapped[str | None] = mapped_column(Short)
    cash_flow: Mapped[str | None] = mapped_column(Short)
    # payment status
    payer: Mapped[str | None] = mapped_column(sa.String(64))
    payment_attitude: Mapped[str | None] = mapped_column(Short)
    cheque_notes: Mapped[str | None] = mapped_column(Short)
    # business dealings
    total_purchases: Mapped[Decimal | None] = mapped_column(Money)
    monthly_average_purchase: Mapped[Decimal | None] = mapped_column(Money)
    largest_purchase: Mapped[Decimal | None] = mapped_column(Money)
    # strategy (key clients)
    decision_makers: Mapped[str | None] = mapped_column(Short)
    development_plans: Mapped[str | None] = mapped_column(Text)
    our_share_percent: Mapped[int | None]
    strategic_notes: Mapped[str | None] = mapped_column(Text)


HAS_BIRTHDAY = "birth_month IS NOT NULL"


class Contact(db.Model):
    __tablename__ = "contacts"
    # Whose birthday falls on these days (the today page's week, the daily greetings): the days'
    # entries alone, with their clients, instead of every contact read.
    __table_args__ = (
        sa.Index("ix_contacts_birthday", "birth_month", "birth_day", "birthday_calendar", "client_id",
                 sqlite_where=sa.text(HAS_BIRTHDAY), postgresql_where=sa.text(HAS_BIRTHDAY)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    unit: Mapped[str | None] = mapped_column(Short)
    position: Mapped[str | None] = mapped_column(sa.String(64))
    address: Mapped[str | None] = mapped_column(Short)
    mobile: Mapped[str | None] = mapped_column(sa.String(20), index=True)  # E.164
    phone: Mapped[str | None] = mapped_column(sa.String(40))  # E.164, a service number, or as written
    other_phones: Mapped[str | None] = mapped_column(Text)     # further numbers, one a line
    email: Mapped[str | None] = mapped_column(sa.String(254), index=True)  # lower case
    # Birthday: solar or lunar month/day, the year when known.
    birthday_calendar: Mapped[str | None] = mapped_column(sa.String(5))  # solar | lunar
    birth_year: Mapped[int | None]
    birth_month: Mapped[int | None]
    birth_day: Mapped[int | None]
    birthday_leap_month: Mapped[bool] = mapped_column(default=False)
    preferred_channel: Mapped[str | None] = mapped_column(sa.String(20))
    contact_frequency: Mapped[str | None] = mapped_column(sa.String(20))
    greetings_opt_out: Mapped[bool] = mapped_column(default=False)
    is_key_person: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    client: Mapped[Client] = relationship(back_populates="contacts")


class Correctable:
    """A timeline entry its author (within a day) or a supervisor may correct or void; a voided
    entry stays, struck through, and counts for nothing."""

    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    voided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    void_reason: Mapped[str | None] = mapped_column(Short)

    @property
    def voided(self) -> bool:
        return self.voided_at is not None


SCORED = "satisfaction IS NOT NULL AND voided_at IS NULL"


class Interaction(Correctable, db.Model):
    """交流记录: every touch with a client."""

    __tablename__ = "interactions"
    __table_args__ = (
        sa.Index("ix_interactions_client_at", "client_id", "occurred_at"),
        # The standing touches that carry a satisfaction (a tenth or so), as the reports read them:
        # by time (a period's scores) and by client (each one's latest), covered.
        sa.Index("ix_interactions_scored", "occurred_at", "client_id", "satisfaction",
                 sqlite_where=sa.text(SCORED), postgresql_where=sa.text(SCORED)),
        sa.Index("ix_interactions_scored_by_client", "client_id", "occurred_at", "satisfaction",
                 sqlite_where=sa.text(SCORED), postgresql_where=sa.text(SCORED)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    channel: Mapped[str | None] = mapped_column(sa.String(20))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    content: Mapped[str] = mapped_column(Text)
    satisfaction: Mapped[int | None]
    next_follow_up: Mapped[date | None]
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    contact: Mapped[Contact | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])


class ServiceEvent(Correctable, db.Model):
    """Purchase or service event: drives callbacks and VIP eligibility."""

    __tablename__ = "service_events"
    __table_args__ = (
        sa.Index("ix_service_events_client_at", "client_id", "occurred_at"),
        # Sales as the reports read them: a period's by time, each client's latest; covered.
        sa.Index("ix_service_events_kind_time", "kind", "voided_at", "occurred_at", "client_id", "amount"),
        sa.Index("ix_service_events_kind_client", "kind", "voided_at", "client_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    product: Mapped[str | None] = mapped_column(Short)
    high_end: Mapped[bool] = mapped_column(default=False)
    amount: Mapped[Decimal | None] = mapped_column(Money)  # business dealings: confidential
    notes: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])


class ClientSearchKey(db.Model):
    """What a client can be found by: names and their suffixes, pinyin, initials, phones, emails.

    Prefix ranges over one indexed column work alike on SQLite and PostgreSQL, so a search is an
    index range scan, never a scan of the clients.
    """

    __tablename__ = "client_search_keys"
    # Covering: a search reads key, client and weight from the index alone, never the table.
    __table_args__ = (sa.Index("ix_client_search_keys_lookup", "key", "weight", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    # Byte order ("C") on PostgreSQL, as SQLite's BINARY: a prefix is then one contiguous range.
    key: Mapped[str] = mapped_column(
        sa.String(100).with_variant(sa.String(100, collation="C"), "postgresql"))
    weight: Mapped[int] = mapped_column(sa.SmallInteger)  # lower is a better match


class ArchiveAccessRequest(db.Model):
    """申请查阅: a request to read a client's confidential sections, and the grant that follows."""

    __tablename__ = "archive_access_requests"
    __table_args__ = (sa.Index("ix_archive_access_client_user", "client_id", "requester_id"),
                      *allowed_values("status", AccessStatus))

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    requester_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Short)
    status: Mapped[str] = mapped_column(sa.String(10), default="pending", index=True)
    days: Mapped[int] = mapped_column(default=7)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(Short)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    client: Mapped[Client] = relationship()
    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class ClientLabel(db.Model):
    """A group (分组) or a tag (标签) that clients carry, any number each."""

    __tablename__ = "client_labels"
    __table_args__ = (sa.UniqueConstraint("kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(5))  # group | tag
    name: Mapped[str] = mapped_column(sa.String(64))


client_label_links = sa.Table(
    "client_label_links", db.metadata,
    sa.Column("client_id", sa.ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("label_id", sa.ForeignKey("client_labels.id", ondelete="CASCADE"), primary_key=True,
              index=True),
)


class ClientImport(db.Model):
    """An uploaded file between its preview and its confirmation (any process may confirm it)."""

    __tablename__ = "client_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(sa.String(200))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Once confirmed: the file is dropped, the clients it touched are kept for a view of them.
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    client_ids: Mapped[str | None] = mapped_column(sa.Text)  # comma-separated


def _keep_contact_due_current(client: Client, value, _old, initiator) -> None:
    """Whatever sets a client's stage, tier, last contact or creation time (a form, an event, an
    import, a merge), its due date follows; no other object's flush pays for it."""
    current = {key: getattr(client, key) for key in DUE_INPUTS}
    current[initiator.key] = value
    if current["last_contact_at"] is None and current["created_at"] is None:
        return  # not yet known while the constructor sets the other columns
    with db.session.no_autoflush:
        client.contact_due_at = contact_due_at(current["stage"] or "prospect", current["tier"] or "general",
                                               current["last_contact_at"], current["created_at"],
                                               rhythm_days())


DUE_INPUTS = ("stage", "tier", "last_contact_at", "created_at")
for _column in DUE_INPUTS:
    sa.event.listen(getattr(Client, _column), "set", _keep_contact_due_current)


def _note_when_lost(client: Client, value, old, _initiator) -> None:
    """Whatever marks a client lost (its page, an import, a merge) notes when; a client won back
    forgets it. The moment is read here, at the one place every path passes."""
    if value == "lost" and old != "lost":
        client.lost_at = utcnow()
    elif value != "lost":
        client.lost_at = None


sa.event.listen(Client.stage, "set", _note_when_lost, active_history=True)
