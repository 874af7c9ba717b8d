"""Use cases of the client archive: take the actor and `now`, check the rules, persist, audit."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from crmweb.auth.audit import record_audit
from crmweb.auth.models import AuditEvent, User
from crmweb.auth.permissions import (
    CLIENTS_APPROVE_VIP,
    CLIENTS_REASSIGN,
    CLIENTS_SET_TIER,
    CLIENTS_VIEW,
    role_can,
)
from crmweb.clients import rules
from crmweb.clients.access import can_edit, confidential_row, require_confidential, require_edit
from crmweb.clients.duplicates import check_duplicates, find_duplicates
from crmweb.clients.models import Client, ClientLabel, Contact
from crmweb.clients.search import reindex_client
from crmweb.clients.sections import contact_version
from crmweb.clients.settings import rhythm_days
from crmweb.database import chunks, load_in
from crmweb.errors import Conflict, Invalid, NotAllowed
from crmweb.extensions import db
from crmweb.settings import change_settings
from crmweb.timeutil import local_zone


def labels(kind: str | None = None) -> list[ClientLabel]:
    query = sa.select(ClientLabel).order_by(ClientLabel.kind, ClientLabel.name)
    if kind:
        query = query.where(ClientLabel.kind == kind)
    return db.session.scalars(query).all()


def assignable_owners() -> list[User]:
    """People who can own clients: active staff whose role may view clients."""
    users = db.session.scalars(sa.select(User).where(User.active.is_(True)).order_by(User.display_name))
    return [user for user in users if role_can(user.role, CLIENTS_VIEW)]


def create_client(actor: User, values: dict, now: datetime, duplicate_reason: str | None = None) -> Client:
    """A new client; one that looks like an existing one (查重) needs a reason, kept in the audit."""
    noted = check_duplicates(find_duplicates(name=values.get("name")), duplicate_reason)
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
        source = confidential_row(client)
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
        require_confidential(actor, client, now, "change")
        target = confidential_row(client)
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

    require_edit(actor, client)
    noted = ""
    if contact is None:
        noted = check_duplicates(find_duplicates(mobile=values.get("mobile"), email=values.get("email"),
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


def set_tier(actor: User, client: Client, tier: str, now: datetime) -> None:
    if not role_can(actor.role, CLIENTS_SET_TIER):
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
    if not role_can(actor.role, CLIENTS_APPROVE_VIP):
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
    if not role_can(actor.role, CLIENTS_REASSIGN):
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


BULK_ACTIONS = ("add_group", "add_tag", "set_owner", "set_tier")


def bulk_update(actor: User, client_ids: list[int], action: str, value, now: datetime) -> tuple[int, int]:
    """Apply one action to many clients in one transaction; returns (done, refused).

    Each client is checked on its own: a client the actor may not change is counted, not changed.
    """
    if action not in BULK_ACTIONS:
        raise Invalid(_("未知的批量操作。"))
    if action == "set_owner" and not role_can(actor.role, CLIENTS_REASSIGN):
        raise NotAllowed(_("只有经理和总监可以更换客户负责人。"))
    if action == "set_tier" and not role_can(actor.role, CLIENTS_SET_TIER):
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
    clients = load_in(Client, Client.id, set(client_ids[:1000]), selectinload(Client.labels))
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


def save_archive_settings(actor: User, values: dict, now: datetime) -> None:
    """A manager's thresholds and rhythms; every client's next due date follows at once."""
    change_settings(actor, "clients", values, now)
    db.session.flush()
    recompute_contact_due()
    db.session.commit()


def recompute_contact_due() -> None:
    """After the rhythms changed: the clients whose next due date moves, by the one rule."""
    rhythms = rhythm_days()
    columns = (Client.id, Client.stage, Client.tier, Client.last_contact_at, Client.created_at,
               Client.contact_due_at)
    moved = [{"id": row.id, "contact_due_at": due}
             for row in db.session.execute(sa.select(*columns)).yield_per(5000)
             if (due := rules.contact_due_at(row.stage, row.tier, row.last_contact_at, row.created_at,
                                             rhythms)) != row.contact_due_at]
    for chunk in chunks(moved, 5000):
        db.session.execute(sa.update(Client), chunk)
