"""Finding clients: search-as-you-type over the search keys, the filtered and sorted list,
the export's selection, and keeping the search keys current."""
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from crmweb import pagination
from crmweb.auth.audit import record_audit
from crmweb.auth.models import User
from crmweb.auth.permissions import CLIENTS_EXPORT, role_can
from crmweb.clients import rules
from crmweb.clients.models import (
    Client,
    ClientConfidential,
    ClientImport,
    ClientSearchKey,
    Contact,
    client_label_links,
)
from crmweb.database import chunks, copy_rows, load_in
from crmweb.errors import NotAllowed
from crmweb.extensions import db
from crmweb.pagination import Page

SEARCH_CANDIDATE_CAP = 1000


SMALL_RESULT = 1000


@dataclass
class SearchFilters:
    query: str = ""
    stage: str = ""
    tier: str = ""
    vip: str = ""          # "" | "vip" | "eligible"
    owner_id: int | None = None
    unowned: bool = False
    label_id: int | None = None
    overdue: bool = False
    # "VIP eligible" comes from purchases: for those who may not see it, such clients count as "none".
    sees_eligible: bool = True
    client_ids: list[int] | None = None  # just these (the clients of one import)
    sort: str = ""  # "" by name (pinyin) | "due": whoever most needs contact first


@dataclass
class SearchPage(Page):
    capped: bool = False  # the typed query matched more than the search looks at
    main_contacts: dict = field(default_factory=dict)  # client id → (name, mobile) of its first contact


def _filtered(query, filters: SearchFilters, now: datetime):
    """`query` narrowed by every filter except the typed text."""
    if filters.stage:
        query = query.where(Client.stage == filters.stage)
    if filters.tier:
        query = query.where(Client.tier == filters.tier)
    if filters.vip == "none" and not filters.sees_eligible:
        query = query.where(Client.vip_status.in_(("none", "eligible")))
    elif filters.vip:
        query = query.where(Client.vip_status == filters.vip)
    if filters.owner_id:
        query = query.where(Client.owner_id == filters.owner_id)
    elif filters.unowned:
        query = query.where(Client.owner_id.is_(None))
    if filters.label_id:
        query = query.where(Client.id.in_(sa.select(client_label_links.c.client_id)
                                          .where(client_label_links.c.label_id == filters.label_id)))
    if filters.overdue:
        query = query.where(Client.contact_due_at < now)
    if filters.client_ids is not None:
        query = query.where(Client.id.in_(filters.client_ids))
    return query


IMPORT_VIEW_LIMIT = 5000  # clients one import's view lists (a parameter each in the query)


def imported_client_ids(user_id: int, import_id: int | None) -> list[int] | None:
    """The clients a person's confirmed import touched; None when there is no such import."""
    if not import_id:
        return None
    done = db.session.get(ClientImport, import_id)
    if done is None or done.user_id != user_id or done.confirmed_at is None:
        return None
    return [int(i) for i in (done.client_ids or "").split(",") if i][:IMPORT_VIEW_LIMIT]


def _ranked(filters: SearchFilters, prefix: str, now: datetime):
    """The clients whose keys start with `prefix`, best match first: (id, how many keys were read).

    One index-only range scan over the keys, capped, so that a one-letter query costs no more
    than a precise one; the filters and the ordering then apply to those candidates only.
    """
    matches = (sa.select(ClientSearchKey.client_id, ClientSearchKey.weight)
               .where(ClientSearchKey.key >= prefix, ClientSearchKey.key < prefix + "\U0010ffff")
               .limit(SEARCH_CANDIDATE_CAP).subquery())
    # Per client its best weight, and (the same on every row) how many keys the scan read.
    best = (sa.select(matches.c.client_id, sa.func.min(matches.c.weight).label("weight"),
                      sa.func.sum(sa.func.count()).over().label("scanned"))
            .group_by(matches.c.client_id).subquery())
    return (_filtered(sa.select(Client.id, best.c.scanned).join(best, best.c.client_id == Client.id),
                      filters, now)
            .order_by(best.c.weight, Client.sort_key, Client.id))


def _ranked_page(filters: SearchFilters, prefix: str, now: datetime, raw_page,
                 size: int) -> tuple[list[int], int, int, bool]:
    """One page of the ranked matches: (its ids, the page's number, how many match, whether the
    scan was capped). Only the page's rows leave the database, the count with them (fetching the
    thousand ids of a one-letter query was a tenth of its time); past the last page, the last."""
    ranked = _ranked(filters, prefix, now)

    def page(number):
        return db.session.execute(ranked.add_columns(sa.func.count().over().label("total"))
                                  .limit(size).offset((number - 1) * size)).all()

    number = pagination.requested_page(raw_page)
    rows = page(number)
    if not rows and number > 1:
        total = db.session.scalar(sa.select(sa.func.count()).select_from(ranked.order_by(None).subquery()))
        number = pagination.page_number(number, total, size)
        rows = page(number)
    if not rows:
        return [], number, 0, False
    return [row.id for row in rows], number, rows[0].total, rows[0].scanned >= SEARCH_CANDIDATE_CAP


def _clients_in_order(ids: list[int]) -> list[Client]:
    loaded = {client.id: client for client in load_in(Client, Client.id, ids)}
    return [loaded[client_id] for client_id in ids if client_id in loaded]


def _main_contacts(client_ids: list[int]) -> dict[int, sa.Row]:
    """Each client's first contact (key people first), the one a list row shows: its name and
    mobile as plain rows, rather than every contact as an object."""
    main: dict[int, sa.Row] = {}
    for row in db.session.execute(
            sa.select(Contact.client_id, Contact.name, Contact.mobile)
            .where(Contact.client_id.in_(client_ids))
            .order_by(Contact.client_id, Contact.is_key_person.desc(), Contact.id)):
        main.setdefault(row.client_id, row)
    return main


def _sort_key(sort: str):
    if sort == "due":  # lost clients (never due) last
        earliest = datetime.min.replace(tzinfo=UTC)
        return lambda row: (row.contact_due_at is None, row.contact_due_at or earliest, row.id)
    return lambda row: (row.sort_key, row.id)


def search_clients(filters: SearchFilters, raw_page, page_size: int, now: datetime) -> SearchPage:
    """One page of the clients matching the filters: best matches first, else by pinyin."""
    prefix = rules.search_prefix(filters.query)
    if prefix:
        page_ids, number, total, capped = _ranked_page(filters, prefix, now, raw_page, page_size)
        return SearchPage(items=_clients_in_order(page_ids), number=number, size=page_size, total=total,
                          capped=capped, main_contacts=_main_contacts(page_ids))
    ids = None
    query = _filtered(sa.select(Client.id), filters, now)
    total, more = pagination.counted(query, raw_page, page_size)
    if total <= SMALL_RESULT and not more:
        # A narrow filter: fetch its few rows by their index and sort here. Left to itself the
        # database would walk the whole pinyin index looking for them.
        rows = db.session.execute(_filtered(sa.select(Client.id, Client.sort_key, Client.contact_due_at),
                                            filters, now)).all()
        ids = [row.id for row in sorted(rows, key=_sort_key(filters.sort))]
    number = pagination.page_number(raw_page, total, page_size)
    offset = (number - 1) * page_size
    if ids is not None:
        page_ids = ids[offset:offset + page_size]
    else:
        order = (Client.contact_due_at.asc().nulls_last(), Client.id) if filters.sort == "due" \
            else (Client.sort_key, Client.id)
        page_ids = db.session.scalars(query.order_by(*order).limit(page_size).offset(offset)).all()
    return SearchPage(items=_clients_in_order(page_ids), number=number, size=page_size, total=total,
                      more=more, main_contacts=_main_contacts(page_ids))


EXPORT_LIMIT = 100_000


def matching_ids(filters: SearchFilters, now: datetime, limit: int = EXPORT_LIMIT) -> list[int]:
    """The ids of every client the filters match (best matches first when text was typed), for
    exports and messages to a selection."""
    prefix = rules.search_prefix(filters.query)
    if prefix:
        return db.session.scalars(_ranked(filters, prefix, now).limit(limit)).all()
    return db.session.scalars(_filtered(sa.select(Client.id), filters, now)
                              .order_by(Client.sort_key, Client.id).limit(limit)).all()


@dataclass
class ArchiveExport:
    """What an export writes, as plain rows: 100,000 clients with their 300,000 contacts as ORM
    objects took most of an export's time."""
    clients: list[sa.Row]               # in the list's order, each with its owner_name
    contacts: dict[int, list[sa.Row]]   # by client, key people first
    archives: dict[int, sa.Row]         # the confidential parts, by client


EXPORT_CONTACT_COLUMNS = (Contact.client_id, Contact.name, Contact.position, Contact.mobile, Contact.phone,
                          Contact.other_phones, Contact.email, Contact.birthday_calendar, Contact.birth_year,
                          Contact.birth_month, Contact.birth_day, Contact.birthday_leap_month)


def clients_for_export(actor: User, filters: SearchFilters, export_format: str,
                       now: datetime) -> ArchiveExport:
    """All matching clients with contacts and confidential parts, the export audited."""
    if not role_can(actor.role, CLIENTS_EXPORT):
        raise NotAllowed(_("只有经理和总监可以导出客户档案。"))
    ids = matching_ids(filters, now)
    record_audit("archive.exported", target_type="clients", target_id=export_format,
                 detail=f"count={len(ids)} query={filters.query[:40]}", actor=actor, now=now)
    db.session.commit()  # the export on record before anything is read
    clients, contacts, archives = {}, {}, {}
    for chunk in chunks(ids):
        clients.update((row.id, row) for row in db.session.execute(
            sa.select(Client.id, Client.name, Client.kind, Client.stage, Client.tier, Client.vip_status,
                      Client.address, Client.main_business, User.display_name.label("owner_name"))
            .outerjoin(User, User.id == Client.owner_id).where(Client.id.in_(chunk))))
        for row in db.session.execute(sa.select(*EXPORT_CONTACT_COLUMNS).where(Contact.client_id.in_(chunk))
                                      .order_by(Contact.client_id, Contact.is_key_person.desc(), Contact.id)):
            contacts.setdefault(row.client_id, []).append(row)
        archives.update((row.client_id, row) for row in db.session.execute(
            sa.select(ClientConfidential.__table__).where(ClientConfidential.client_id.in_(chunk))))
    in_order = [clients[client_id] for client_id in ids if client_id in clients]
    return ArchiveExport(in_order, contacts, archives)


def reindex_client(client: Client) -> None:
    """Rewrite the client's sort key and search keys from its name and contacts (same transaction)."""
    reindex_many([client])


def reindex_many(clients: list[Client]) -> None:
    """Search keys for many clients at once: one read of their contacts, one delete, one insert."""
    if not clients:
        return
    db.session.flush()
    ids = [c.id for c in clients]
    contacts: dict[int, list] = {client_id: [] for client_id in ids}
    for chunk in chunks(ids):
        for row in db.session.execute(sa.select(Contact.client_id, Contact.name, Contact.mobile,
                                                Contact.phone, Contact.email, Contact.other_phones)
                                      .where(Contact.client_id.in_(chunk))):
            contacts[row.client_id].append(rules.ContactKeys(row.name, row.mobile, row.phone, row.email,
                                                             row.other_phones))
    keys = []
    for client in clients:
        client.sort_key = rules.sort_key(client.name, client.kind)
        client.name_key = rules.company_key(client.name)
        keys += [(client.id, key, weight)
                 for key, weight in rules.search_keys(client.name, client.kind, contacts[client.id])]
    for chunk in chunks(ids):
        db.session.execute(sa.delete(ClientSearchKey).where(ClientSearchKey.client_id.in_(chunk)))
    db.session.flush()
    insert_search_keys(keys)


def insert_search_keys(keys: Iterable[tuple[int, str, int]]) -> None:
    """(client id, key, weight) rows handed straight to the driver: an import writes tens of
    thousands, and SQLAlchemy's handling of each row's parameters would double the time."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        # COPY streams the rows as they are made (the server indexes them meanwhile); an
        # executemany would be one statement per row.
        copy_rows(ClientSearchKey.__table__, ["client_id", "key", "weight"], keys)
        return
    rows = list(keys)
    if rows:
        connection.exec_driver_sql(
            'INSERT INTO client_search_keys (client_id, "key", weight) VALUES (?, ?, ?)', rows)
