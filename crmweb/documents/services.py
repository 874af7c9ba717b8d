"""Files on the archive: uploaded to what they belong to (a client, a case, a contract, an
interaction), checked by their content, kept in the file store, listed and served only through
the app to who may read their owner (and, for confidential ones, the client's confidential parts),
every upload, download and deletion audited."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

import filetype
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from crmweb.auth.audit import record_audit
from crmweb.auth.models import User
from crmweb.auth.permissions import CLIENTS_RECORD, role_can
from crmweb.clients import access
from crmweb.clients.models import Client, Interaction
from crmweb.documents import rules
from crmweb.documents.models import Document
from crmweb.documents.store import file_store
from crmweb.errors import Invalid, NotAllowed, NotFound
from crmweb.extensions import db

HEAD_BYTES = 8192


@dataclass(frozen=True)
class Owner:
    """What files hang on (a client, a case …) and who may read and add to them there."""

    load: Callable[[int], object | None]
    client_of: Callable[[object], Client]
    may_read: Callable[[User, object, datetime], bool]
    may_write: Callable[[User, object, datetime], bool]
    # Files of confidential kinds (a contract's): every one of them is confidential.
    always_confidential: bool = False


def _client_of_interaction(interaction: Interaction) -> Client:
    return db.session.get(Client, interaction.client_id)


# Each area that keeps files registers its kind of owner (the cases area registers "case").
OWNERS: dict[str, Owner] = {
    "client": Owner(
        load=lambda owner_id: db.session.get(Client, owner_id),
        client_of=lambda client: client,
        may_read=access.can_see_archive,
        may_write=lambda actor, client, _now: access.can_edit(actor, client),
    ),
    # A timeline entry's files (the letter a complaint came in, a photo from a visit): read with the
    # timeline, added by who records touches and sees the client's archive.
    "interaction": Owner(
        load=lambda owner_id: db.session.get(Interaction, owner_id),
        client_of=_client_of_interaction,
        may_read=lambda actor, touch, now: access.can_see_archive(actor, _client_of_interaction(touch), now),
        may_write=lambda actor, touch, now: role_can(actor.role, CLIENTS_RECORD)
        and not touch.voided
        and access.can_see_archive(actor, _client_of_interaction(touch), now),
    ),
}


def register_owner(kind: str, owner: Owner) -> None:
    OWNERS[kind] = owner


def _owner(kind: str, owner_id: int):
    rules_for = OWNERS.get(kind)
    found = rules_for.load(owner_id) if rules_for else None
    if found is None:
        raise NotFound(_("找不到文件所属的记录。"))
    return rules_for, found


def _on(kind: str, owner_id: int):
    """A client's own files are found by the client they belong to, so that merging two archives
    (which moves every row's client) brings them along."""
    return Document.client_id == owner_id if kind == "client" else Document.owner_id == owner_id


def _owner_of(document: Document):
    return _owner(
        document.owner_kind, document.client_id if document.owner_kind == "client" else document.owner_id
    )


REFUSALS = {
    "empty": lambda: _("文件是空的。"),
    "size": lambda: _(
        "文件太大，最大 %(mb)s MB。", mb=current_app.config["DOCUMENTS_MAX_BYTES"] // (1024 * 1024)
    ),
    "type": lambda: _("不支持这种文件。可以上传 PDF、图片、Word、Excel、PowerPoint 和文本文件。"),
    "mismatch": lambda: _("文件内容与扩展名不符，请检查后重新上传。"),
}


def _size(stream: BinaryIO) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def upload(
    actor: User, kind: str, owner_id: int, raw_name: str, stream: BinaryIO, confidential: bool, now: datetime
) -> Document:
    rules_for, owner = _owner(kind, owner_id)
    client = rules_for.client_of(owner)
    if not rules_for.may_write(actor, owner, now):
        raise NotAllowed(_("您不能在这里添加文件。"))
    confidential = confidential or rules_for.always_confidential
    if confidential and not access.can_read_confidential(actor, client, now):
        raise NotAllowed(_("只有能查阅该客户保密档案的人才能上传保密文件。"))
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    guess = filetype.guess(head)
    try:
        checked = rules.check(
            raw_name,
            head,
            guess.mime if guess else None,
            _size(stream),
            current_app.config["DOCUMENTS_MAX_BYTES"],
        )
    except rules.Refused as refused:
        raise Invalid(REFUSALS[refused.reason]()) from None
    store = file_store()
    key = store.save(stream)
    document = Document(
        owner_kind=kind,
        owner_id=owner_id,
        client_id=client.id,
        name=checked.name,
        content_type=checked.content_type,
        size=_size(stream),
        storage_key=key,
        confidential=confidential,
        uploaded_by_id=actor.id,
        uploaded_at=now,
    )
    db.session.add(document)
    try:
        db.session.flush()
        record_audit(
            "documents.uploaded",
            target_type="client",
            target_id=client.id,
            actor=actor,
            now=now,
            detail=f"document={document.id} {kind}={owner_id} confidential={confidential}",
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        store.delete(key)  # nothing half-written: no row, no file
        raise
    return document


def _readable(actor: User, document: Document, now: datetime) -> bool:
    rules_for, owner = _owner_of(document)
    if not rules_for.may_read(actor, owner, now):
        return False
    return not document.confidential or access.can_read_confidential(actor, rules_for.client_of(owner), now)


def for_download(actor: User, document_id: int, now: datetime) -> tuple[Document, BinaryIO]:
    """The file for who may read it (a 404 for anyone else: nothing said about what is there);
    every download audited."""
    document = db.session.get(Document, document_id)
    if document is None or not _readable(actor, document, now):
        raise NotFound(_("找不到该文件。"))
    record_audit(
        "documents.downloaded",
        target_type="client",
        target_id=document.client_id,
        actor=actor,
        now=now,
        detail=f"document={document.id} confidential={document.confidential}",
    )
    db.session.commit()
    return document, file_store().open(document.storage_key)


def delete(actor: User, document_id: int, now: datetime) -> Document:
    document = db.session.get(Document, document_id)
    if document is None or not _readable(actor, document, now):
        raise NotFound(_("找不到该文件。"))
    rules_for, owner = _owner_of(document)
    if not rules_for.may_write(actor, owner, now):
        raise NotAllowed(_("您不能删除这个文件。"))
    key = document.storage_key
    db.session.delete(document)
    record_audit(
        "documents.deleted",
        target_type="client",
        target_id=document.client_id,
        actor=actor,
        now=now,
        detail=f"document={document.id} name={document.name[:80]}",
    )
    db.session.commit()
    file_store().delete(key)
    return document


@dataclass
class Files:
    kind: str
    owner_id: int
    documents: list[Document]
    may_write: bool
    may_read_confidential: bool
    always_confidential: bool = False


def files_of(actor: User, kind: str, owner_id: int, now: datetime) -> Files:
    """What is on a client or a case, as the person may see it (confidential files only for who
    reads the client's confidential parts)."""
    rules_for, owner = _owner(kind, owner_id)
    secret_ok = access.can_read_confidential(actor, rules_for.client_of(owner), now)
    documents = db.session.scalars(
        sa.select(Document)
        .where(Document.owner_kind == kind, _on(kind, owner_id))
        .order_by(Document.uploaded_at.desc(), Document.id.desc())
    ).all()
    return Files(
        kind,
        owner_id,
        [doc for doc in documents if secret_ok or not doc.confidential],
        rules_for.may_write(actor, owner, now),
        secret_ok,
        rules_for.always_confidential,
    )
