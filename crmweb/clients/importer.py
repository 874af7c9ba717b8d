"""Writing an imported file's checked rows into the archive (importing.py reads the file)."""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from crmweb.auth.audit import record_audit
from crmweb.clients import rules
from crmweb.clients.access import can_edit, can_read_confidential
from crmweb.clients.importing import ImportProblem, UnreadableFile, parse_file
from crmweb.clients.models import Client, ClientConfidential, ClientImport, Contact
from crmweb.clients.names import normalise
from crmweb.clients.search import insert_search_keys, reindex_many
from crmweb.clients.settings import rhythm_days
from crmweb.database import insert_rows, insert_with_ids, load_in, refresh_statistics, uniform_rows
from crmweb.errors import Invalid, NotFound
from crmweb.extensions import db

IMPORT_LOCK_KEY = 7_301_001  # PostgreSQL advisory lock held by an import's transaction
BULK_LOAD = 5_000  # new clients from one import past which the planner's statistics are refreshed


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

    _serialise_imports()
    summary = ImportSummary(problems=list(parsed.problems), warnings=list(parsed.warnings))
    rows = parsed.rows
    mobiles = {r.contact["mobile"] for r in rows if r.contact.get("mobile")}
    emails = {r.contact["email"] for r in rows if r.contact.get("email")}
    # Without a mobile or an email, the same name with the same phone is the same person.
    phones = {r.contact["phone"] for r in rows if r.contact.get("phone") and not r.contact.get("mobile")
              and not r.contact.get("email")}
    existing = load_in(Contact, Contact.mobile, mobiles, selectinload(Contact.client))
    existing += load_in(Contact, Contact.email, emails, selectinload(Contact.client))
    existing += load_in(Contact, Contact.phone, phones, selectinload(Contact.client))
    by_mobile: dict[str, Contact | _NewContact] = {c.mobile: c for c in existing if c.mobile}
    by_email: dict[str, Contact | _NewContact] = {c.email: c for c in existing if c.email}
    by_name_phone: dict[tuple, Contact | _NewContact] = {(c.name, c.phone): c for c in existing if c.phone}
    companies: dict[str, Client | _NewClient] = {normalise(c.name): c for c in load_in(
        Client, Client.name, {r.client_name for r in rows if r.client_name}) if c.kind == "company"}
    confidential = {row.client_id: row for row in load_in(
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
    reindex_many(list(touched.values()))
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
    if not dry_run and summary.created >= BULK_LOAD:
        refresh_statistics(["clients", "contacts", "client_search_keys"])
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
    ids = insert_with_ids(Client.__table__, uniform_rows(Client.__table__, [c.values for c in new_clients]))
    contacts, archives = [], []
    for client_id, client in zip(ids, new_clients, strict=True):
        contacts += [{**contact.values, "client_id": client_id} for contact in client.contacts]
        if client.confidential:
            archives.append({**client.confidential, "client_id": client_id})
    for model, rows in ((Contact, contacts), (ClientConfidential, archives)):
        if rows:
            insert_rows(model.__table__, uniform_rows(model.__table__, rows))

    def keys():
        for client_id, client in zip(ids, new_clients, strict=True):
            contact_keys = [rules.ContactKeys(c.values["name"], c.values.get("mobile"), c.values.get("phone"),
                                              c.values.get("email"), c.values.get("other_phones"))
                            for c in client.contacts]
            for key, weight in rules.search_keys(client.values["name"], client.values["kind"], contact_keys):
                yield client_id, key, weight

    insert_search_keys(keys())
    return ids


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


# --- the web import: an uploaded file waits for its confirmation --------------------------------

UNCONFIRMED_KEPT = timedelta(days=1)
CONFIRMED_KEPT = timedelta(days=30)  # for the view of the clients one import touched


def preview_import(actor, owner_id: int | None, filename: str, data: bytes, now: datetime):
    """Read the file, tell what it would do (nothing written), keep it until it is confirmed;
    returns (pending import, parsed file, summary). UnreadableFile says why a file cannot be read."""
    parsed = parse_file(data, filename)
    preview = import_clients(actor, owner_id, parsed, now, dry_run=True)
    db.session.execute(sa.delete(ClientImport).where(
        ClientImport.created_at < now - UNCONFIRMED_KEPT, ClientImport.confirmed_at.is_(None)))
    db.session.execute(sa.delete(ClientImport).where(ClientImport.confirmed_at < now - CONFIRMED_KEPT))
    pending = ClientImport(user_id=actor.id, owner_id=owner_id, filename=filename[:200], content=data,
                           created_at=now)
    db.session.add(pending)
    db.session.commit()
    return pending, parsed, preview


def confirm_import(actor, import_id: int, now: datetime):
    """Write a previewed file; returns (the import, its summary). Only its uploader confirms it,
    once."""
    pending = db.session.get(ClientImport, import_id)
    if pending is None or pending.user_id != actor.id or pending.confirmed_at is not None:
        raise NotFound(_("找不到这次导入，或已经确认过。"))
    try:
        parsed = parse_file(pending.content, pending.filename)
    except UnreadableFile as problem:
        raise Invalid(str(problem)) from None
    # The file goes in the import's own transaction; which clients it touched stays after it.
    pending.content, pending.confirmed_at = b"", now
    summary = import_clients(actor, pending.owner_id, parsed, now)
    pending.client_ids = ",".join(str(i) for i in sorted(summary.client_ids))
    db.session.commit()
    return pending, summary
