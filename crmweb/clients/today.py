"""The client archive's cards on the "today" page: my clients due for contact, my contacts'
birthdays, my access requests, and what waits for a manager's approval."""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy.orm import selectinload

from crmweb.area import TodayCard
from crmweb.auth.models import User
from crmweb.auth.permissions import (
    ARCHIVE_GRANT,
    CLIENTS_APPROVE_VIP,
    CLIENTS_EDIT_ANY,
    CLIENTS_VIEW,
    role_can,
)
from crmweb.clients import rules
from crmweb.clients.models import ArchiveAccessRequest, Client, Contact
from crmweb.extensions import db
from crmweb.timeutil import local_zone

BIRTHDAY_DAYS = 7
LISTED = 8  # rows per card; the card links to the whole list
DECISIONS_SHOWN = timedelta(days=7)


@dataclass
class Birthday:
    on: date
    contact: sa.Row  # id, name and the birthday as kept (birthday_calendar, birth_month, …)
    client_id: int
    client_name: str


@dataclass
class Overdue:
    client: Client
    days: int  # since the day it was due


@dataclass
class Today:
    overdue_count: int = 0
    overdue: list[Overdue] = field(default_factory=list)
    all_overdue_count: int | None = None  # for those who look after every archive
    # My clients nobody has contacted yet: due from their creation, listed before they are late.
    never_contacted_count: int = 0
    never_contacted: list[Client] = field(default_factory=list)
    unowned_count: int | None = None     # clients with no owner, for those who assign them
    birthdays: list[Birthday] = field(default_factory=list)  # the soonest; the card links to the rest
    birthday_count: int = 0
    vip_applied: int | None = None   # None: not this person's to approve
    vip_eligible: int | None = None
    access_requests: int | None = None
    # My own requests to read an archive, decided in the last week: how they were answered.
    my_decisions: list[ArchiveAccessRequest] = field(default_factory=list)
    my_pending: int = 0


def today_for(user: User, now: datetime, today: date) -> Today:
    """`today` is the local date of `now`, where the person works."""
    result = Today()
    if not role_can(user.role, CLIENTS_VIEW):
        return result
    overdue = sa.select(Client).where(Client.owner_id == user.id, Client.contact_due_at < now)
    result.overdue_count = db.session.scalar(sa.select(sa.func.count()).select_from(overdue.subquery()))
    zone = local_zone()
    result.overdue = [Overdue(client, (today - client.contact_due_at.astimezone(zone).date()).days)
                      for client in db.session.scalars(overdue.order_by(Client.contact_due_at).limit(LISTED))]
    fresh = sa.select(Client).where(Client.owner_id == user.id, Client.last_contact_at.is_(None),
                                    Client.contact_due_at >= now)
    result.never_contacted_count = db.session.scalar(sa.select(sa.func.count()).select_from(fresh.subquery()))
    result.never_contacted = db.session.scalars(fresh.order_by(Client.contact_due_at).limit(LISTED)).all()
    if role_can(user.role, CLIENTS_EDIT_ANY):
        result.all_overdue_count = sum(overdue_by_owner(now).values())
        result.unowned_count = db.session.scalar(
            sa.select(sa.func.count()).where(Client.owner_id.is_(None), Client.stage != "lost"))
    birthdays = upcoming_birthdays(user, today)
    result.birthdays, result.birthday_count = birthdays[:LISTED], len(birthdays)
    if role_can(user.role, CLIENTS_APPROVE_VIP):
        counts = dict(db.session.execute(
            sa.select(Client.vip_status, sa.func.count())
            .where(Client.vip_status.in_(("applied", "eligible"))).group_by(Client.vip_status)).all())
        result.vip_applied, result.vip_eligible = counts.get("applied", 0), counts.get("eligible", 0)
    mine = sa.select(ArchiveAccessRequest).where(ArchiveAccessRequest.requester_id == user.id)
    result.my_decisions = db.session.scalars(
        mine.where(ArchiveAccessRequest.decided_at >= now - DECISIONS_SHOWN)
        .options(selectinload(ArchiveAccessRequest.client))
        .order_by(ArchiveAccessRequest.decided_at.desc()).limit(LISTED)).all()
    result.my_pending = db.session.scalar(sa.select(sa.func.count()).select_from(
        mine.where(ArchiveAccessRequest.status == "pending").subquery()))
    if role_can(user.role, ARCHIVE_GRANT):
        result.access_requests = db.session.scalar(
            sa.select(sa.func.count()).where(ArchiveAccessRequest.status == "pending"))
    return result


def overdue_by_owner(now: datetime) -> dict[int | None, int]:
    """Clients past their stay-in-touch date, counted per owner (None: nobody's). The count scans
    the whole archive and a manager's today page asks twice (the overdue total, the team card):
    counted once per request."""
    cached = g.get("_crmweb_overdue_by_owner") if has_request_context() else None
    if cached is not None and cached[0] == now:
        return cached[1]
    # Person by person, each a range of ix_clients_owner_contact_due: grouped, the database read
    # the whole archive's overdue rows (60,000 at 100k clients) in one pass, twice as slow.
    def overdue_of(owner):
        return sa.select(sa.func.count()).where(owner, Client.contact_due_at < now)

    counts = {owner_id: count for owner_id, count in db.session.execute(
        sa.select(User.id, overdue_of(Client.owner_id == User.id).scalar_subquery())) if count}
    unowned = db.session.scalar(overdue_of(Client.owner_id.is_(None)))
    if unowned:
        counts[None] = unowned
    if has_request_context():
        g._crmweb_overdue_by_owner = (now, counts)
    return counts


def upcoming_birthdays(user: User, today: date) -> list[Birthday]:
    """Birthdays of the contacts of this person's clients in the coming week, solar or lunar,
    soonest first. Plain rows: someone with 5,000 clients has some 150 of them a week."""
    # The query below starts from the week's birthdays (a range of ix_contacts_birthday) and keeps
    # this person's: for someone who owns no client (most managers) it would read the whole
    # archive's week, some 3,500 contacts at 100k clients, to find none.
    if db.session.scalar(sa.select(Client.id).where(Client.owner_id == user.id).limit(1)) is None:
        return []
    dates = rules.birthday_dates(today, BIRTHDAY_DAYS)
    # One equality per day, each an index range of ix_contacts_birthday (whose condition is
    # repeated so that SQLite may use it); as a tuple IN, SQLite read all the person's contacts.
    on_the_days = sa.or_(*(sa.and_(Contact.birth_month == month, Contact.birth_day == day,
                                   Contact.birthday_calendar == calendar)
                           for calendar, month, day in sorted({key[:3] for key in dates})))
    rows = db.session.execute(
        sa.select(Contact.id, Contact.name, Contact.birthday_calendar, Contact.birth_month,
                  Contact.birth_day, Contact.birthday_leap_month, Client.id.label("client_id"),
                  Client.name.label("client_name"))
        .join(Client, Contact.client_id == Client.id)
        .where(Client.owner_id == user.id, Contact.birth_month.is_not(None), on_the_days)
    ).all()
    birthdays = []
    for row in rows:
        leap = row.birthday_calendar == "lunar" and row.birthday_leap_month
        on = dates.get((row.birthday_calendar, row.birth_month, row.birth_day, leap))
        if on is not None:
            birthdays.append(Birthday(on, row, row.client_id, row.client_name))
    return sorted(birthdays, key=lambda b: (b.on, b.contact.name, b.contact.id))


def today_cards(user: User, now: datetime, today: date) -> list[TodayCard]:
    if not role_can(user.role, CLIENTS_VIEW):
        return []
    return [TodayCard("clients/_today.html", {"work": today_for(user, now, today)})]
