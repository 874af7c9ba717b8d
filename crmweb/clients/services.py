"""Use cases of the client archive: take the actor and `now`, check the rules, persist, audit."""
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import g, has_request_context
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from crmweb import pagination
from crmweb.auth.audit import record_audit
from crmweb.auth.models import AuditEvent, User
from crmweb.auth.permissions import (
    ARCHIVE_READ_ANY,
    CLIENTS_APPROVE_VIP,
    CLIENTS_EDIT,
    CLIENTS_EDIT_ANY,
    CLIENTS_MERGE,
    CLIENTS_READ_ANY,
    CLIENTS_VIEW,
    role_can,
)
from crmweb.clients import rules
from crmweb.clients.models import (
    ArchiveAccessRequest,
    Client,
    ClientConfidential,
    ClientImport,
    ClientLabel,
    ClientSearchKey,
    Contact,
    Interaction,
    ServiceEvent,
    client_label_links,
)
from crmweb.clients.names import normalise
from crmweb.errors import Conflict, Invalid, NotAllowed, NotFound
from crmweb.extensions import db
from crmweb.pagination import Page
from crmweb.settings import get_setting
from crmweb.timeutil import local_zone

SEARCH_CANDIDATE_CAP = 1000
IMPORT_LOCK_KEY = 7_301_001  # PostgreSQL advisory lock held by an import's transaction
SMALL_RESULT = 1000


# --- reading --------------------------------------------------------------------------------

def get_client(client_id: int) -> Client:
    client = db.session.get(Client, client_id)
    if client is None:
        raise NotFound(_("找不到该客户。"))
    return client


def has_active_grant(user_id: int, client_id: int, now: datetime) -> bool:
    return db.session.scalar(
        sa.select(sa.func.count(ArchiveAccessRequest.id)).where(
            ArchiveAccessRequest.client_id == client_id,
            ArchiveAccessRequest.requester_id == user_id,
            ArchiveAccessRequest.status == "approved",
            ArchiveAccessRequest.expires_at > now)) > 0


def grant_until(user_id: int, client_id: int, now: datetime) -> datetime | None:
    """Until when the person's approved access to the client's archive lasts, if it does."""
    return db.session.scalar(
        sa.select(sa.func.max(ArchiveAccessRequest.expires_at)).where(
            ArchiveAccessRequest.client_id == client_id, ArchiveAccessRequest.requester_id == user_id,
            ArchiveAccessRequest.status == "approved", ArchiveAccessRequest.expires_at > now))


def can_read_confidential(actor: User, client: Client, now: datetime) -> bool:
    if rules.may_read_confidential(role_can(actor.role, ARCHIVE_READ_ANY), actor.id, client.owner_id, False):
        return True
    return has_active_grant(actor.id, client.id, now)


def can_see_archive(actor: User, client: Client, now: datetime) -> bool:
    """Contacts, timeline and basic sections; else the client's name, tier and owner only."""
    if rules.may_see_archive(role_can(actor.role, CLIENTS_READ_ANY), actor.id, client.owner_id, False):
        return True
    return has_active_grant(actor.id, client.id, now)


def can_edit(actor: User, client: Client) -> bool:
    return role_can(actor.role, CLIENTS_EDIT) and rules.may_edit_archive(
        role_can(actor.role, CLIENTS_EDIT_ANY), actor.id, client.owner_id)


def require_archive(actor: User, client: Client, now: datetime) -> None:
    if not can_see_archive(actor, client, now):
        raise NotAllowed(_("该客户由其他负责人维护，您只能看到名称、等级和负责人；如需查阅请申请。"),
                         audit={"action": "archive.denied", "target_type": "client",
                                "target_id": client.id, "detail": "contacts"})


def sees_dealings(actor: User, client: Client, now: datetime) -> bool:
    """Whether figures computed from purchases (VIP eligibility) may be shown to the actor."""
    return role_can(actor.role, CLIENTS_APPROVE_VIP) or can_read_confidential(actor, client, now)


def _require_confidential(actor: User, client: Client, now: datetime, purpose: str) -> None:
    if not can_read_confidential(actor, client, now):
        raise NotAllowed(_("客户档案的保密部分仅限总监、经理和客户负责人查阅，请先申请查阅。"),
                         audit={"action": "archive.denied", "target_type": "client",
                                "target_id": client.id, "detail": purpose})


def _confidential_row(client: Client) -> ClientConfidential:
    return db.session.get(ClientConfidential, client.id) or ClientConfidential(client_id=client.id)


def read_confidential(actor: User, client: Client, now: datetime) -> ClientConfidential:
    """The confidential sections; NotAllowed unless the actor may read them. The read is audited
    once per request, however many parts of the page show it (an audit log that counts one read
    three times cannot be trusted)."""
    _require_confidential(actor, client, now, "view")
    audited = g.setdefault("archives_read", set()) if has_request_context() else set()
    if client.id not in audited:
        record_audit("archive.viewed", target_type="client", target_id=client.id, now=now)
        audited.add(client.id)
    return _confidential_row(client)


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


def _ranked_matches(filters: SearchFilters, prefix: str, now: datetime) -> tuple[list[int], bool]:
    """Ids of the clients whose keys start with `prefix`, best match first, and whether capped.

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
    rows = db.session.execute(_filtered(
        sa.select(Client.id, best.c.scanned).join(best, best.c.client_id == Client.id), filters, now)
        .order_by(best.c.weight, Client.sort_key, Client.id)).all()
    return [row.id for row in rows], bool(rows) and rows[0].scanned >= SEARCH_CANDIDATE_CAP


def _clients_in_order(ids: list[int]) -> list[Client]:
    loaded = {client.id: client for client in _load_in(Client, Client.id, ids, selectinload(Client.contacts))}
    return [loaded[client_id] for client_id in ids if client_id in loaded]


def _sort_key(sort: str):
    if sort == "due":  # lost clients (never due) last
        earliest = datetime.min.replace(tzinfo=UTC)
        return lambda row: (row.contact_due_at is None, row.contact_due_at or earliest, row.id)
    return lambda row: (row.sort_key, row.id)


def search_clients(filters: SearchFilters, raw_page, page_size: int, now: datetime) -> SearchPage:
    """One page of the clients matching the filters: best matches first, else by pinyin."""
    prefix = rules.search_prefix(filters.query)
    capped, ids = False, None
    if prefix:
        ids, capped = _ranked_matches(filters, prefix, now)
        total = len(ids)
    else:
        query = _filtered(sa.select(Client.id), filters, now)
        total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        if total <= SMALL_RESULT:
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
                      capped=capped)


EXPORT_LIMIT = 100_000


def clients_for_export(actor: User, filters: SearchFilters, export_format: str, now: datetime):
    """All matching clients with contacts and confidential parts, the export audited."""
    if not role_can(actor.role, "clients.export"):
        raise NotAllowed(_("只有经理和总监可以导出客户档案。"))
    prefix = rules.search_prefix(filters.query)
    if prefix:
        ids = _ranked_matches(filters, prefix, now)[0]
    else:
        ids = db.session.scalars(_filtered(sa.select(Client.id), filters, now)
                                 .order_by(Client.sort_key, Client.id).limit(EXPORT_LIMIT)).all()
    clients = _clients_in_order(ids)
    archives = {row.client_id: row for row in _load_in(
        ClientConfidential, ClientConfidential.client_id, [c.id for c in clients])}
    record_audit("archive.exported", target_type="clients", target_id=export_format,
                 detail=f"count={len(clients)} query={filters.query[:40]}", actor=actor, now=now)
    db.session.commit()
    return clients, archives


def timeline(client: Client, limit: int = 100) -> list:
    """Interactions and purchase/service events, newest first, as one list."""
    interactions = db.session.scalars(
        sa.select(Interaction).where(Interaction.client_id == client.id)
        .options(selectinload(Interaction.author), selectinload(Interaction.contact))
        .order_by(Interaction.occurred_at.desc()).limit(limit)).all()
    events = db.session.scalars(
        sa.select(ServiceEvent).where(ServiceEvent.client_id == client.id)
        .options(selectinload(ServiceEvent.author))
        .order_by(ServiceEvent.occurred_at.desc()).limit(limit)).all()
    return sorted([*interactions, *events], key=lambda item: item.occurred_at, reverse=True)[:limit]


def labels(kind: str | None = None) -> list[ClientLabel]:
    query = sa.select(ClientLabel).order_by(ClientLabel.kind, ClientLabel.name)
    if kind:
        query = query.where(ClientLabel.kind == kind)
    return db.session.scalars(query).all()


def assignable_owners() -> list[User]:
    """People who can own clients: active staff whose role may view clients."""
    users = db.session.scalars(sa.select(User).where(User.active.is_(True)).order_by(User.display_name))
    return [user for user in users if role_can(user.role, CLIENTS_VIEW)]


# --- the search index ---------------------------------------------------------------------------

def reindex_client(client: Client) -> None:
    """Rewrite the client's sort key and search keys from its name and contacts (same transaction)."""
    _reindex_many([client])


# --- changing the archive -------------------------------------------------------------------------

def require_edit(actor: User, client: Client) -> None:
    if not can_edit(actor, client):
        raise NotAllowed(_("只有客户负责人、主管、经理和总监可以修改客户档案。"))


@dataclass
class Duplicate:
    client: Client
    why: str  # name | mobile | email


class DuplicateFound(Invalid):
    """The client or contact may exist already: shown, and creating anyway needs a reason."""

    def __init__(self, duplicates: list[Duplicate]):
        super().__init__(_("可能已有这个客户或联系人，请先核对；如确需新建，请填写理由。"))
        self.duplicates = duplicates


def find_duplicates(name: str | None = None, mobile: str | None = None, email: str | None = None,
                    exclude_id: int | None = None, limit: int = 5) -> list[Duplicate]:
    """Clients with the same name (as company_key folds it), or with a contact of the same mobile
    or email. Shown by name, tier and owner only, whoever asks."""
    found: dict[int, Duplicate] = {}

    def add(query, why):
        for client in db.session.scalars(query.where(Client.id != (exclude_id or 0)).limit(limit)):
            found.setdefault(client.id, Duplicate(client, why))

    key = rules.company_key(name or "")
    if len(key) >= 2:
        add(sa.select(Client).where(Client.name_key == key), "name")
    try:
        number = rules.normalise_phone(mobile) if mobile else None
    except rules.InvalidPhone:
        number = None
    if number:
        add(sa.select(Client).join(Contact).where(Contact.mobile == number), "mobile")
    if email and "@" in email:
        add(sa.select(Client).join(Contact).where(Contact.email == email.strip().lower()), "email")
    return list(found.values())[:limit]


def _check_duplicates(duplicates: list[Duplicate], reason: str | None) -> str:
    if duplicates and not (reason or "").strip():
        raise DuplicateFound(duplicates)
    return f" duplicate_of={','.join(str(d.client.id) for d in duplicates)} reason={reason.strip()[:80]}" \
        if duplicates else ""


def create_client(actor: User, values: dict, now: datetime, duplicate_reason: str | None = None) -> Client:
    """A new client; one that looks like an existing one (查重) needs a reason, kept in the audit."""
    noted = _check_duplicates(find_duplicates(name=values.get("name")), duplicate_reason)
    client = Client(created_at=now, updated_at=now, owner_id=values.pop("owner_id", None) or actor.id,
                    **values)
    db.session.add(client)
    db.session.flush()
    reindex_client(client)
    record_audit("client.created", target_type="client", target_id=client.id, actor=actor, now=now,
                 detail=noted.strip() or None)
    db.session.commit()
    return client


def _lock_and_reload(row) -> None:
    """Writers of one row wait for each other here, then see what the other one saved (SQLite:
    the write lock is already held)."""
    model = type(row)
    db.session.execute(sa.select(model.id).where(model.id == row.id).with_for_update())
    db.session.refresh(row)


class EditConflict(Conflict):
    """Somebody saved the same section since the person opened it."""

    def __init__(self, message: str, source, changed_by: str | None, changed_at: datetime | None):
        super().__init__(message)
        self.source, self.changed_by, self.changed_at = source, changed_by, changed_at


def save_section(actor: User, client: Client, section, values: dict, seen_version: str | None,
                 now: datetime) -> list[str]:
    """Save one section unless it changed since `seen_version` was shown (EditConflict, 409)."""
    require_edit(actor, client)
    _lock_and_reload(client)
    source = client
    if section.confidential:
        source = _confidential_row(client)
        if sa.inspect(source).persistent:
            db.session.refresh(source)
    if seen_version and seen_version != section.version(source):
        last = db.session.execute(
            sa.select(sa.func.coalesce(User.display_name, AuditEvent.actor_name).label("actor_name"),
                      AuditEvent.at)
            .outerjoin(User, User.id == AuditEvent.actor_id)
            .where(AuditEvent.target_type == "client", AuditEvent.target_id == str(client.id),
                   AuditEvent.action.in_(("client.changed", "archive.changed")))
            .order_by(AuditEvent.id.desc()).limit(1)).first()
        raise EditConflict(_("保存未完成：您打开这一栏之后，别人已修改了它。"), source,
                           last.actor_name if last else None, last.at if last else None)
    return update_fields(actor, client, values, section.confidential, now)


def update_fields(actor: User, client: Client, values: dict, confidential: bool, now: datetime) -> list[str]:
    """Change one section; returns the names of the fields that changed (never their values)."""
    require_edit(actor, client)
    if confidential:
        _require_confidential(actor, client, now, "change")
        target = _confidential_row(client)
        db.session.add(target)
    else:
        target = client
    changed = [name for name, value in values.items() if getattr(target, name) != value]
    for name in changed:
        setattr(target, name, values[name])
    if changed:
        client.updated_at = now
        if "name" in changed or "kind" in changed:
            reindex_client(client)
        record_audit("archive.changed" if confidential else "client.changed", target_type="client",
                     target_id=client.id, detail=",".join(changed), actor=actor, now=now)
    db.session.commit()
    return changed


def save_contact(actor: User, client: Client, contact: Contact | None, values: dict,
                 now: datetime, seen_version: str | None = None,
                 duplicate_reason: str | None = None) -> Contact:
    """Add a contact (one whose mobile or email another client's contact has needs a reason), or
    change one unless it changed since `seen_version` (EditConflict)."""
    from crmweb.clients.sections import contact_version

    require_edit(actor, client)
    noted = ""
    if contact is None:
        noted = _check_duplicates(find_duplicates(mobile=values.get("mobile"), email=values.get("email"),
                                                  exclude_id=client.id), duplicate_reason)
    if contact is not None and seen_version:
        _lock_and_reload(contact)
        if contact_version(contact) != seen_version:
            raise EditConflict(_("保存未完成：您打开这张联系人卡片之后，别人已修改了它。"), contact,
                               None, None)
    if contact is None:
        contact = Contact(client_id=client.id, created_at=now)
        db.session.add(contact)
    for name, value in values.items():
        setattr(contact, name, value)
    client.updated_at = now
    reindex_client(client)
    record_audit("contact.saved", target_type="client", target_id=client.id,
                 detail=f"contact={contact.id}{noted}", actor=actor, now=now)
    db.session.commit()
    return contact


def record_interaction(actor: User, client: Client, values: dict, now: datetime) -> Interaction:
    """One touch with the client (later issues hang callbacks on this)."""
    if values.get("contact_id") and not any(c.id == values["contact_id"] for c in client.contacts):
        raise Invalid(_("联系人不属于该客户。"))
    interaction = Interaction(client_id=client.id, author_id=actor.id, created_at=now, **values)
    db.session.add(interaction)
    if client.last_contact_at is None or interaction.occurred_at > client.last_contact_at:
        client.last_contact_at = interaction.occurred_at
    db.session.commit()
    return interaction


def record_event(actor: User, client: Client, values: dict, now: datetime) -> ServiceEvent:
    """A purchase or service event; a sale updates the dealings and the VIP eligibility, so only
    those who may change the archive record one with an amount."""
    event = ServiceEvent(client_id=client.id, author_id=actor.id, created_at=now, **values)
    if event.kind == "sale" and event.amount:
        if not can_edit(actor, client):
            raise NotAllowed(_("销售金额会改变业务往来，只有客户负责人、主管、经理和总监可以记录。"),
                             audit={"action": "archive.denied", "target_type": "client",
                                    "target_id": client.id, "detail": "sale"})
        dealings = _confidential_row(client)
        total = (dealings.total_purchases or Decimal(0)) + event.amount
        if total > rules.MONEY_MAX:
            raise Invalid(_("累计购买额将超出系统上限，请核对金额。"))
        db.session.add_all([event, dealings])
        dealings.total_purchases = total
        dealings.largest_purchase = max(dealings.largest_purchase or Decimal(0), event.amount)
        if client.stage == "prospect":
            client.stage = "customer"
        db.session.flush()
        _refresh_vip_eligibility(client)
        record_audit("archive.changed", target_type="client", target_id=client.id,
                     detail="sale:total_purchases,largest_purchase", actor=actor, now=now)
    db.session.add(event)
    record_audit("client.event_recorded", target_type="client", target_id=client.id,
                 detail=event.kind, actor=actor, now=now)
    db.session.commit()
    return event


def _refresh_vip_eligibility(client: Client) -> None:
    """Eligible by rule when the (standing) sales say so; no longer when they stop saying so."""
    if client.vip_status not in ("none", "eligible"):
        return
    sales = db.session.execute(sa.select(ServiceEvent.occurred_at, ServiceEvent.amount, ServiceEvent.high_end)
                               .where(ServiceEvent.client_id == client.id, ServiceEvent.kind == "sale",
                                      ServiceEvent.amount.is_not(None),
                                      ServiceEvent.voided_at.is_(None))).all()
    reason = rules.vip_eligibility(
        [rules.Purchase(*row) for row in sales], get_setting("vip.single_purchase_min"),
        get_setting("vip.monthly_purchase_min"), local_zone())
    client.vip_status, client.vip_reason = ("eligible", reason) if reason else ("none", None)


# --- merging duplicates -----------------------------------------------------------------------------

def merge_clients(actor: User, keep: Client, gone: Client, now: datetime) -> None:
    """Two archives of one client become one: contacts, timeline, events, grants and labels move to
    `keep`; its blank fields and dealings take what `gone` knew; `gone` is deleted. Audited."""
    if not role_can(actor.role, CLIENTS_MERGE):
        raise NotAllowed(_("只有经理和总监可以合并客户。"))
    if keep.id == gone.id:
        raise Invalid(_("不能把客户合并到它自己。"))
    for model in (Contact, Interaction, ServiceEvent, ArchiveAccessRequest):
        db.session.execute(sa.update(model).where(model.client_id == gone.id).values(client_id=keep.id))
    db.session.expire_all()  # what the session held of `gone`'s contacts has moved
    keep.labels = list(dict.fromkeys([*keep.labels, *gone.labels]))
    for column in Client.__table__.columns:
        if column.name not in _MERGE_KEEPS and getattr(keep, column.key) in (None, "") \
                and getattr(gone, column.key) not in (None, ""):
            setattr(keep, column.key, getattr(gone, column.key))
    _merge_dealings(keep, gone)
    if keep.owner_id is None:
        keep.owner_id = gone.owner_id
    record_audit("client.merged", target_type="client", target_id=keep.id, actor=actor, now=now,
                 detail=f"merged={gone.id} name={gone.name[:60]}")
    db.session.delete(gone)
    db.session.flush()
    keep.updated_at = now
    keep.last_contact_at = db.session.scalar(
        sa.select(sa.func.max(Interaction.occurred_at))
        .where(Interaction.client_id == keep.id, Interaction.voided_at.is_(None)))
    _refresh_vip_eligibility(keep)
    reindex_client(keep)
    db.session.commit()


# Who a client is stays as `keep` has it; the rest fills in from the other archive.
_MERGE_KEEPS = {"id", "name", "name_key", "kind", "sort_key", "created_at", "updated_at", "vip_status",
                "vip_reason", "vip_since", "last_contact_at", "contact_due_at", "owner_id"}


def _merge_dealings(keep: Client, gone: Client) -> None:
    theirs = db.session.get(ClientConfidential, gone.id)
    if theirs is None:
        return
    mine = _confidential_row(keep)
    db.session.add(mine)
    for column in ClientConfidential.__table__.columns:
        if column.name == "client_id":
            continue
        if column.name == "total_purchases":
            mine.total_purchases = min(rules.MONEY_MAX, (mine.total_purchases or Decimal(0))
                                       + (theirs.total_purchases or Decimal(0)))
        elif column.name == "largest_purchase":
            mine.largest_purchase = max(mine.largest_purchase or Decimal(0),
                                        theirs.largest_purchase or Decimal(0)) or None
        elif getattr(mine, column.key) in (None, ""):
            setattr(mine, column.key, getattr(theirs, column.key))
    db.session.delete(theirs)


# --- correcting the timeline ------------------------------------------------------------------------

def can_correct(actor: User, record, now: datetime) -> bool:
    return rules.may_correct_record(record.author_id is not None and record.author_id == actor.id,
                                    role_can(actor.role, CLIENTS_EDIT_ANY), record.created_at, now)


def _require_correct(actor: User, client: Client, record, now: datetime) -> None:
    if record.voided:
        raise Conflict(_("该记录已作废。"))
    if not can_correct(actor, record, now):
        raise NotAllowed(_("记录人可在一天内更正或作废自己的记录，之后请找主管。"))
    if isinstance(record, ServiceEvent) and record.kind == "sale" and record.amount:
        require_edit(actor, client)  # the dealings change with it


def correct_record(actor: User, client: Client, record, values: dict, reason: str, now: datetime) -> None:
    """Change an interaction or event entered wrongly; the figures that follow from it follow."""
    _require_correct(actor, client, record, now)
    was_sale = _sale_amount(record)
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    for name in changed:
        setattr(record, name, values[name])
    if _sale_amount(record) and not can_edit(actor, client):
        raise NotAllowed(_("销售金额会改变业务往来，只有客户负责人、主管、经理和总监可以记录。"))
    if changed:
        record.corrected_at = now
        _after_timeline_change(actor, client, was_sale, _sale_amount(record), now)
        record_audit(f"{_record_kind(record)}.corrected", target_type="client", target_id=client.id,
                     actor=actor, now=now, detail=f"{_record_kind(record)}={record.id} "
                                                  f"fields={','.join(changed)} reason={reason[:80]}")
    db.session.commit()


def void_record(actor: User, client: Client, record, reason: str, now: datetime) -> None:
    """An entry made by mistake stays visible, struck through, and stops counting."""
    _require_correct(actor, client, record, now)
    was_sale = _sale_amount(record)
    record.voided_at, record.voided_by_id, record.void_reason = now, actor.id, reason[:200]
    _after_timeline_change(actor, client, was_sale, Decimal(0), now)
    record_audit(f"{_record_kind(record)}.voided", target_type="client", target_id=client.id,
                 actor=actor, now=now, detail=f"{_record_kind(record)}={record.id} reason={reason[:80]}")
    db.session.commit()


def _record_kind(record) -> str:
    return "interaction" if isinstance(record, Interaction) else "event"


def _sale_amount(record) -> Decimal:
    if isinstance(record, ServiceEvent) and record.kind == "sale" and not record.voided:
        return record.amount or Decimal(0)
    return Decimal(0)


def _after_timeline_change(actor: User, client: Client, old_sale: Decimal, new_sale: Decimal,
                           now: datetime) -> None:
    """Last contact, purchases and VIP eligibility as the standing entries now say."""
    db.session.flush()
    client.last_contact_at = db.session.scalar(
        sa.select(sa.func.max(Interaction.occurred_at))
        .where(Interaction.client_id == client.id, Interaction.voided_at.is_(None)))
    if old_sale == new_sale:
        return
    dealings = _confidential_row(client)
    db.session.add(dealings)
    total = max(Decimal(0), (dealings.total_purchases or Decimal(0)) - old_sale + new_sale)
    if total > rules.MONEY_MAX:
        raise Invalid(_("累计购买额将超出系统上限，请核对金额。"))
    dealings.total_purchases = total
    dealings.largest_purchase = db.session.scalar(
        sa.select(sa.func.max(ServiceEvent.amount)).where(
            ServiceEvent.client_id == client.id, ServiceEvent.kind == "sale",
            ServiceEvent.voided_at.is_(None)))
    _refresh_vip_eligibility(client)
    record_audit("archive.changed", target_type="client", target_id=client.id, actor=actor, now=now,
                 detail="correction:total_purchases,largest_purchase")


def set_tier(actor: User, client: Client, tier: str, now: datetime) -> None:
    if not role_can(actor.role, "clients.set_tier"):
        raise NotAllowed(_("只有主管、经理和总监可以调整客户等级。"))
    old, client.tier = client.tier, tier
    client.updated_at = now
    record_audit("client.tier_changed", target_type="client", target_id=client.id,
                 detail=f"{old}->{tier}", actor=actor, now=now)
    db.session.commit()


def apply_for_vip(actor: User, client: Client, reason: str, now: datetime) -> None:
    require_edit(actor, client)
    if client.vip_status == "vip":
        raise Conflict(_("该客户已是 VIP。"))
    client.vip_status, client.vip_reason = "applied", f"manual:{reason}"
    record_audit("client.vip_applied", target_type="client", target_id=client.id, actor=actor, now=now)
    db.session.commit()


def decide_vip(actor: User, client: Client, approve: bool, now: datetime) -> None:
    if not role_can(actor.role, "clients.approve_vip"):
        raise NotAllowed(_("只有经理和总监可以审批 VIP。"))
    if client.vip_status not in ("eligible", "applied"):
        raise Conflict(_("该客户没有待审批的 VIP 申请。"))
    if approve:
        client.vip_status, client.vip_since = "vip", now.astimezone(
            local_zone()).date()
    else:
        client.vip_status, client.vip_reason = "none", None
    record_audit("client.vip_approved" if approve else "client.vip_refused", target_type="client",
                 target_id=client.id, actor=actor, now=now)
    db.session.commit()


def reassign_owner(actor: User, client: Client, owner: User, now: datetime) -> None:
    if not role_can(actor.role, "clients.reassign"):
        raise NotAllowed(_("只有经理和总监可以更换客户负责人。"))
    if not owner.active or not role_can(owner.role, CLIENTS_VIEW):
        raise Invalid(_("所选人员不能负责客户。"))
    old = client.owner_id
    client.owner_id = owner.id
    client.updated_at = now
    record_audit("client.owner_changed", target_type="client", target_id=client.id,
                 detail=f"{old}->{owner.id}", actor=actor, now=now)
    db.session.commit()


def set_labels(actor: User, client: Client, names: dict[str, list[str]], now: datetime) -> None:
    """Replace the client's groups and tags by name, creating new labels as needed."""
    require_edit(actor, client)
    chosen = []
    for kind, kind_names in names.items():
        for name in dict.fromkeys(n.strip() for n in kind_names if n.strip()):
            label = db.session.scalar(sa.select(ClientLabel).where(ClientLabel.kind == kind,
                                                                   ClientLabel.name == name[:64]))
            if label is None:
                label = ClientLabel(kind=kind, name=name[:64])
                db.session.add(label)
            chosen.append(label)
    client.labels = chosen
    record_audit("client.labels_changed", target_type="client", target_id=client.id, actor=actor, now=now)
    db.session.commit()


# --- access to the confidential sections ---------------------------------------------------------

def request_archive_access(actor: User, client: Client, reason: str, now: datetime) -> ArchiveAccessRequest:
    if can_read_confidential(actor, client, now):
        raise Conflict(_("您已可以查阅该客户的保密档案。"))
    pending = db.session.scalar(sa.select(ArchiveAccessRequest).where(
        ArchiveAccessRequest.client_id == client.id, ArchiveAccessRequest.requester_id == actor.id,
        ArchiveAccessRequest.status == "pending"))
    if pending:
        raise Conflict(_("您已提交过申请，请等待经理审批。"))
    request = ArchiveAccessRequest(client_id=client.id, requester_id=actor.id, reason=reason,
                                   status="pending", created_at=now,
                                   days=get_setting("archive.grant_days"))
    db.session.add(request)
    db.session.flush()
    record_audit("archive.access_requested", target_type="client", target_id=client.id,
                 detail=f"request={request.id}", actor=actor, now=now)
    db.session.commit()
    return request


def decide_access_request(actor: User, request: ArchiveAccessRequest, approve: bool, days: int,
                          note: str | None, now: datetime) -> None:
    if not role_can(actor.role, "archive.grant"):
        raise NotAllowed(_("只有经理可以审批查阅申请。"))
    if request.status != "pending":
        raise Conflict(_("该申请已处理。"))
    if request.requester_id == actor.id:
        raise NotAllowed(_("不能审批自己的申请。"))
    request.status = "approved" if approve else "refused"
    request.decided_by_id, request.decided_at, request.decision_note = actor.id, now, note
    if approve:
        request.days = days
        request.expires_at = now + timedelta(days=days)
    record_audit("archive.access_granted" if approve else "archive.access_refused",
                 target_type="client", target_id=request.client_id,
                 detail=f"request={request.id} days={days if approve else 0}", actor=actor, now=now)
    db.session.commit()


def revoke_grant(actor: User, request: ArchiveAccessRequest, now: datetime) -> None:
    if not role_can(actor.role, "archive.grant"):
        raise NotAllowed(_("只有经理可以撤销查阅授权。"))
    if request.status != "approved":
        raise Conflict(_("只能撤销已批准的授权。"))
    request.status, request.expires_at = "revoked", now
    record_audit("archive.access_revoked", target_type="client", target_id=request.client_id,
                 detail=f"request={request.id}", actor=actor, now=now)
    db.session.commit()


def access_requests(status: str | None = None) -> list[ArchiveAccessRequest]:
    query = (sa.select(ArchiveAccessRequest)
             .options(selectinload(ArchiveAccessRequest.client), selectinload(ArchiveAccessRequest.requester))
             .order_by(ArchiveAccessRequest.created_at.desc()).limit(200))
    if status:
        query = query.where(ArchiveAccessRequest.status == status)
    return db.session.scalars(query).all()


# --- import -------------------------------------------------------------------------------------

@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    problems: list = field(default_factory=list)   # rows not imported
    warnings: list = field(default_factory=list)   # rows imported, something in them flagged
    client_ids: set = field(default_factory=set)   # the archive's clients the file matched or made

    @property
    def errors(self) -> int:
        return len(self.problems)


def _chunks(values, size=500):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _load_in(model, column, values, *options):
    found = []
    for chunk in _chunks(values):
        found += db.session.scalars(sa.select(model).where(column.in_(chunk)).options(*options)).all()
    return found


@dataclass
class _NewClient:
    """A client the import creates: written with plain multi-row INSERTs, not one ORM object each
    (a phone's 2,000 contacts must import in well under two seconds)."""
    values: dict
    contacts: list["_NewContact"] = field(default_factory=list)
    confidential: dict = field(default_factory=dict)


@dataclass
class _NewContact:
    client: _NewClient
    values: dict


def import_clients(actor, owner_id: int | None, parsed, now: datetime,
                   dry_run: bool = False) -> ImportSummary:
    """Write checked rows in one transaction: the same mobile or email updates, never duplicates.

    Rows matching another owner's client that the actor may not change are reported, not written.
    With `dry_run` everything is rolled back: the summary says what would happen.
    """
    from crmweb.clients.importing import ImportProblem

    _serialise_imports()
    summary = ImportSummary(problems=list(parsed.problems), warnings=list(parsed.warnings))
    rows = parsed.rows
    mobiles = {r.contact["mobile"] for r in rows if r.contact.get("mobile")}
    emails = {r.contact["email"] for r in rows if r.contact.get("email")}
    # Without a mobile or an email, the same name with the same phone is the same person.
    phones = {r.contact["phone"] for r in rows if r.contact.get("phone") and not r.contact.get("mobile")
              and not r.contact.get("email")}
    existing = _load_in(Contact, Contact.mobile, mobiles, selectinload(Contact.client))
    existing += _load_in(Contact, Contact.email, emails, selectinload(Contact.client))
    existing += _load_in(Contact, Contact.phone, phones, selectinload(Contact.client))
    by_mobile: dict[str, Contact | _NewContact] = {c.mobile: c for c in existing if c.mobile}
    by_email: dict[str, Contact | _NewContact] = {c.email: c for c in existing if c.email}
    by_name_phone: dict[tuple, Contact | _NewContact] = {(c.name, c.phone): c for c in existing if c.phone}
    companies: dict[str, Client | _NewClient] = {normalise(c.name): c for c in _load_in(
        Client, Client.name, {r.client_name for r in rows if r.client_name}) if c.kind == "company"}
    confidential = {row.client_id: row for row in _load_in(
        ClientConfidential, ClientConfidential.client_id, {c.client_id for c in existing})}
    touched: dict[int, Client] = {}
    new_clients: list[_NewClient] = []
    secrets_changed: dict[int, set[str]] = {}   # client id → confidential fields this import changed
    reads_secrets: dict[int, bool] = {}

    def confidential_allowed(row, client: Client) -> bool:
        """Confidential columns only for archives the importer may read: refused otherwise,
        whatever the values, so that the answer reveals nothing about them."""
        if not row.confidential:
            return False
        if client.id not in reads_secrets:
            reads_secrets[client.id] = can_read_confidential(actor, client, now)
        if not reads_secrets[client.id]:
            summary.warnings.append(ImportProblem(row.line, _(
                "保密列未导入：您无权查阅客户 %(name)s 的保密档案（其余内容已导入）。", name=client.name)))
        return reads_secrets[client.id]

    def change_secrets(client: Client, values: dict) -> bool:
        archive = _archive_of(client.id, confidential)
        changed = {name for name, value in values.items() if getattr(archive, name) != value}
        _assign(archive, values)
        if changed:
            secrets_changed.setdefault(client.id, set()).update(changed)
        return bool(changed)

    def remember(contact, values):
        if values.get("mobile"):
            by_mobile[values["mobile"]] = contact
        if values.get("email"):
            by_email[values["email"]] = contact
        if values.get("phone"):
            by_name_phone[(values.get("name"), values["phone"])] = contact

    for row in rows:
        values = row.contact
        contact = by_mobile.get(values.get("mobile")) or by_email.get(values.get("email"))
        if contact is None and not values.get("mobile") and not values.get("email"):
            contact = by_name_phone.get((values.get("name"), values.get("phone")))
        if isinstance(contact, _NewContact):  # the same person twice in one file
            changed = _assign(contact.values, {k: v for k, v in values.items() if v is not None})
            changed |= _assign(contact.client.values, row.client)
            changed |= _assign(contact.client.confidential, row.confidential)
            if changed:
                summary.updated += 1
            else:
                summary.skipped += 1
            remember(contact, contact.values)
            continue
        if contact is not None:
            client = contact.client
            if not can_edit(actor, client):
                summary.problems.append(ImportProblem(row.line, _(
                    "联系人 %(name)s 属于其他负责人的客户，您无权更新。", name=contact.name)))
                continue
            changed = _assign(contact, {k: v for k, v in values.items() if v is not None})
            changed |= _assign(client, row.client)
            if confidential_allowed(row, client):
                changed |= change_secrets(client, row.confidential)
            if changed:
                client.updated_at = now
                touched[client.id] = client
                summary.updated += 1
            else:
                summary.skipped += 1
            summary.client_ids.add(client.id)
            remember(contact, values)
            continue
        key = normalise(row.client_name) if row.client_name else None
        client = companies.get(key) if key else None
        if isinstance(client, Client):  # a new contact of a client already in the archive
            if not can_edit(actor, client):
                summary.problems.append(ImportProblem(row.line, _(
                    "客户 %(name)s 属于其他负责人，您无权添加联系人。", name=client.name)))
                continue
            _assign(client, row.client)
            if values.get("name"):
                contact = Contact(created_at=now, **values)
                client.contacts.append(contact)
                remember(contact, values)
            if confidential_allowed(row, client):
                change_secrets(client, row.confidential)
            client.updated_at = now
            touched[client.id] = client
            summary.client_ids.add(client.id)
            summary.created += 1
            continue
        if client is None:
            client = _NewClient({"kind": "company" if key else "person",
                                 "name": row.client_name or values["name"], "stage": "prospect",
                                 "tier": "general", "vip_status": "none", "owner_id": owner_id,
                                 "created_at": now, "updated_at": now})
            new_clients.append(client)
            if key:
                companies[key] = client
        _assign(client.values, row.client)
        client.confidential.update(row.confidential)
        if values.get("name"):
            contact = _NewContact(client, {"created_at": now, **values})
            client.contacts.append(contact)
            remember(contact, values)
        summary.created += 1

    new_ids = _insert_new_clients(new_clients)
    summary.client_ids.update(new_ids)
    for client_id, client in zip(new_ids, new_clients, strict=True):
        if client.confidential:
            secrets_changed[client_id] = set(client.confidential)
    _reindex_many(list(touched.values()))
    if dry_run:
        db.session.rollback()
    else:
        # A confidential change is an archive change, whichever path it came by.
        for client_id, names in sorted(secrets_changed.items()):
            record_audit("archive.changed", target_type="client", target_id=client_id, actor=actor,
                         now=now, detail="import:" + ",".join(sorted(names)))
    record_audit("clients.import_previewed" if dry_run else "clients.imported", target_type="import",
                 target_id=parsed.kind, actor=actor, now=now,
                 detail=f"created={summary.created} updated={summary.updated} skipped={summary.skipped} "
                        f"errors={summary.errors} warnings={len(summary.warnings)}")
    db.session.commit()
    return summary


def _serialise_imports() -> None:
    """One import at a time: the second waits for the first to commit and then finds its contacts
    (on SQLite the write lock, taken when the transaction begins, already does this)."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(IMPORT_LOCK_KEY)))


def _archive_of(client_id: int, loaded: dict[int, ClientConfidential]) -> ClientConfidential:
    """The confidential part of an archived client, created when it has none yet."""
    archive = loaded.get(client_id) or db.session.get(ClientConfidential, client_id)
    if archive is None:
        archive = ClientConfidential(client_id=client_id)
        db.session.add(archive)
    loaded[client_id] = archive
    return archive


def _insert_new_clients(new_clients: list[_NewClient]) -> list[int]:
    """Clients, their contacts, confidential parts and search keys: one multi-row INSERT each;
    returns the new clients' ids.

    What the ORM would add on flush is filled in here: the sort key and the contact due date.
    """
    from crmweb.settings import rhythm_days

    if not new_clients:
        return []
    db.session.flush()  # the ORM's pending changes first: the INSERTs below share its transaction
    rhythms = rhythm_days()
    for client in new_clients:
        values = client.values
        values["sort_key"] = rules.sort_key(values["name"], values["kind"])
        values["name_key"] = rules.company_key(values["name"])
        values["contact_due_at"] = rules.contact_due_at(values["stage"], values["tier"], None,
                                                        values["created_at"], rhythms)
    ids = _insert_with_ids(Client.__table__, _uniform_rows(Client.__table__, [c.values for c in new_clients]))
    contacts, archives = [], []
    for client_id, client in zip(ids, new_clients, strict=True):
        contacts += [{**contact.values, "client_id": client_id} for contact in client.contacts]
        if client.confidential:
            archives.append({**client.confidential, "client_id": client_id})
    for model, rows in ((Contact, contacts), (ClientConfidential, archives)):
        if rows:
            db.session.execute(sa.insert(model.__table__), _uniform_rows(model.__table__, rows))

    def keys():
        for client_id, client in zip(ids, new_clients, strict=True):
            contact_keys = [rules.ContactKeys(c.values["name"], c.values.get("mobile"), c.values.get("phone"),
                                              c.values.get("email"), c.values.get("other_phones"))
                            for c in client.contacts]
            for key, weight in rules.search_keys(client.values["name"], client.values["kind"], contact_keys):
                yield client_id, key, weight

    _insert_search_keys(keys())
    return ids


def _insert_with_ids(table: sa.Table, rows: list[dict]) -> list[int]:
    """Insert rows and return their new ids in the rows' order.

    The ids are taken first, then the rows written with them in one executemany: RETURNING in
    the rows' order would cost a statement per row on SQLite and a slow sentinel on PostgreSQL.
    """
    if db.engine.dialect.name == "postgresql":
        sequence = sa.func.pg_get_serial_sequence(table.name, "id")
        ids = db.session.scalars(sa.select(sa.func.nextval(sequence))
                                 .select_from(sa.func.generate_series(1, len(rows)))).all()
    else:
        # SQLite's writing transactions hold the write lock from their start (BEGIN IMMEDIATE, see
        # crmweb.database): nobody else can take the next ids meanwhile.
        first = db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))) + 1
        ids = list(range(first, first + len(rows)))
    db.session.execute(table.insert(), [{**row, "id": row_id} for row, row_id in zip(rows, ids, strict=True)])
    return ids


def _uniform_rows(table: sa.Table, rows: list[dict]) -> list[dict]:
    """A multi-row INSERT needs the same columns in every row: the missing ones get their default
    (the plain values these tables declare; a computed default would need the ORM)."""
    filled = {}
    for name in set().union(*rows):
        default = table.c[name].default
        if default is not None and not default.is_scalar:
            raise ValueError(f"{table.name}.{name} has a computed default")
        filled[name] = default.arg if default is not None else None
    return [{**filled, **row} for row in rows]


def _assign(target, values: dict) -> bool:
    """Set what differs on an ORM object or a plain dict; True when anything changed."""
    changed = False
    for name, value in values.items():
        current = target.get(name) if isinstance(target, dict) else getattr(target, name)
        if current != value:
            if isinstance(target, dict):
                target[name] = value
            else:
                setattr(target, name, value)
            changed = True
    return changed


def _reindex_many(clients: list[Client]) -> None:
    """Search keys for many clients at once: one read of their contacts, one delete, one insert."""
    if not clients:
        return
    db.session.flush()
    ids = [c.id for c in clients]
    contacts: dict[int, list] = {client_id: [] for client_id in ids}
    for chunk in _chunks(ids):
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
    for chunk in _chunks(ids):
        db.session.execute(sa.delete(ClientSearchKey).where(ClientSearchKey.client_id.in_(chunk)))
    db.session.flush()
    _insert_search_keys(keys)


def _insert_search_keys(keys: Iterable[tuple[int, str, int]]) -> None:
    """(client id, key, weight) rows handed straight to the driver: an import writes tens of
    thousands, and SQLAlchemy's handling of each row's parameters would double the time."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        # COPY streams the rows as they are made (the server indexes them meanwhile); an
        # executemany would be one statement per row.
        with connection.connection.driver_connection.cursor() as cursor:
            with cursor.copy('COPY client_search_keys (client_id, "key", weight) FROM STDIN') as copy:
                for row in keys:
                    copy.write_row(row)
        return
    rows = list(keys)
    if rows:
        connection.exec_driver_sql(
            'INSERT INTO client_search_keys (client_id, "key", weight) VALUES (?, ?, ?)', rows)


# --- bulk actions on a search result --------------------------------------------------------------

BULK_ACTIONS = ("add_group", "add_tag", "set_owner", "set_tier")


def bulk_update(actor: User, client_ids: list[int], action: str, value, now: datetime) -> tuple[int, int]:
    """Apply one action to many clients in one transaction; returns (done, refused).

    Each client is checked on its own: a client the actor may not change is counted, not changed.
    """
    if action not in BULK_ACTIONS:
        raise Invalid(_("未知的批量操作。"))
    if action == "set_owner" and not role_can(actor.role, "clients.reassign"):
        raise NotAllowed(_("只有经理和总监可以更换客户负责人。"))
    if action == "set_tier" and not role_can(actor.role, "clients.set_tier"):
        raise NotAllowed(_("只有主管、经理和总监可以调整客户等级。"))
    if action == "set_tier" and value not in rules.TIERS:
        raise Invalid(_("请选择有效的客户等级。"))
    owner = None
    if action == "set_owner":
        owner = db.session.get(User, value) if isinstance(value, int) else None
        if owner is None or not owner.active or not role_can(owner.role, CLIENTS_VIEW):
            raise Invalid(_("所选人员不能负责客户。"))
    label = None
    if action in ("add_group", "add_tag"):
        name = (value or "").strip()[:64]
        if not name:
            raise Invalid(_("请填写分组或标签名称。"))
        kind = "group" if action == "add_group" else "tag"
        label = db.session.scalar(sa.select(ClientLabel).where(ClientLabel.kind == kind,
                                                               ClientLabel.name == name))
        if label is None:
            label = ClientLabel(kind=kind, name=name)
            db.session.add(label)
    clients = _load_in(Client, Client.id, set(client_ids[:1000]), selectinload(Client.labels))
    done = refused = 0
    for client in clients:
        if action in ("add_group", "add_tag") and not can_edit(actor, client):
            refused += 1
            continue
        if action == "set_owner":
            client.owner_id = owner.id
        elif action == "set_tier":
            client.tier = value
        elif label not in client.labels:
            client.labels.append(label)
        client.updated_at = now
        done += 1
    record_audit("clients.bulk_updated", target_type="clients", target_id=action, actor=actor, now=now,
                 detail=f"value={value} done={done} refused={refused} ids="
                        + ",".join(str(c.id) for c in clients)[:300])
    db.session.commit()
    return done, refused


def recompute_contact_due() -> None:
    """After the rhythms changed: every client's next due date, a statement per stage and tier."""
    from crmweb.settings import rhythm_days

    start = sa.func.coalesce(Client.last_contact_at, Client.created_at)
    for (stage, tier), days in rhythm_days().items():
        if db.engine.dialect.name == "sqlite":
            due = sa.func.strftime("%Y-%m-%d %H:%M:%f", start, f"+{int(days)} days")
        else:
            due = start + sa.text(f"interval '{int(days)} days'")
        db.session.execute(sa.update(Client).where(Client.stage == stage, Client.tier == tier)
                           .values(contact_due_at=due))
    db.session.execute(sa.update(Client).where(Client.stage == "lost").values(contact_due_at=None))
