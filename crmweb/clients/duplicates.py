"""查重: what may be the same client or contact, and merging two archives of one client."""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from crmweb.auth.audit import record_audit
from crmweb.auth.models import User
from crmweb.auth.permissions import CLIENTS_MERGE, role_can
from crmweb.clients import rules
from crmweb.clients.access import confidential_row
from crmweb.clients.models import (
    Client,
    ClientConfidential,
    Contact,
    Interaction,
)
from crmweb.clients.search import reindex_client
from crmweb.clients.timeline import refresh_vip_eligibility
from crmweb.errors import Invalid, NotAllowed
from crmweb.extensions import db


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


def merge_candidates(client: Client, limit: int = 10) -> list[Duplicate]:
    """Other archives that look like this client: by name, or sharing a mobile or email of one of
    its first five contacts. Two statements however many contacts: every client page a manager
    opens asks (it was one per contact and channel)."""
    found = {d.client.id: d for d in find_duplicates(name=client.name, exclude_id=client.id)}
    contacts = client.contacts[:5]
    mobiles = {contact.mobile for contact in contacts if contact.mobile}
    emails = {contact.email for contact in contacts if contact.email}
    if mobiles or emails:
        sharing = db.session.execute(
            sa.select(Client, Contact.mobile).join(Contact)
            .where(sa.or_(Contact.mobile.in_(mobiles), Contact.email.in_(emails)), Client.id != client.id)
            .order_by(Client.id).limit(limit))
        for other, mobile in sharing:
            found.setdefault(other.id, Duplicate(other, "mobile" if mobile in mobiles else "email"))
    return list(found.values())[:limit]


def check_duplicates(duplicates: list[Duplicate], reason: str | None) -> str:
    if duplicates and not (reason or "").strip():
        raise DuplicateFound(duplicates)
    return f" duplicate_of={','.join(str(d.client.id) for d in duplicates)} reason={reason.strip()[:80]}" \
        if duplicates else ""


def merge_clients(actor: User, keep: Client, gone: Client, now: datetime) -> None:
    """Two archives of one client become one: contacts, timeline, events, grants and labels move to
    `keep`; its blank fields and dealings take what `gone` knew; `gone` is deleted. Audited."""
    if not role_can(actor.role, CLIENTS_MERGE):
        raise NotAllowed(_("只有经理和总监可以合并客户。"))
    if keep.id == gone.id:
        raise Invalid(_("不能把客户合并到它自己。"))
    _move_rows(gone.id, keep.id)
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
    refresh_vip_eligibility(keep)
    reindex_client(keep)
    db.session.commit()


# Keyed by the client itself: merged field by field above, or rebuilt (search keys, labels).
_MERGED_OR_REBUILT = {"client_confidential", "client_label_links", "client_search_keys"}


def _move_rows(gone_id: int, keep_id: int) -> None:
    """Every row of any area that belongs to `gone` (contacts, timeline, grants, visits, and what
    areas add later) now belongs to `keep`: found by its foreign key, so that no area's rows are
    lost to the cascade when `gone` is deleted."""
    for table in db.metadata.sorted_tables:
        if table.name in _MERGED_OR_REBUILT:
            continue
        for key in table.foreign_keys:
            if key.column.table.name == Client.__tablename__:
                moved = sa.update(table).where(key.parent == gone_id).values({key.parent.name: keep_id})
                db.session.execute(moved)


# Who a client is stays as `keep` has it; the rest fills in from the other archive.
_MERGE_KEEPS = {"id", "name", "name_key", "kind", "sort_key", "created_at", "updated_at", "vip_status",
                "vip_reason", "vip_since", "last_contact_at", "contact_due_at", "owner_id"}


def _merge_dealings(keep: Client, gone: Client) -> None:
    theirs = db.session.get(ClientConfidential, gone.id)
    if theirs is None:
        return
    mine = confidential_row(keep)
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
