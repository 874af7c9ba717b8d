"""Who may read and change a client's archive, and the confidential part's reads, grants
and refusals: the rules of DESIGN §2 applied, kept in one file so that they can be reviewed alone."""
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import g, has_request_context
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from crmweb.auth.audit import record_audit
from crmweb.auth.models import User
from crmweb.auth.permissions import (
    ARCHIVE_GRANT,
    ARCHIVE_READ_ANY,
    CLIENTS_APPROVE_VIP,
    CLIENTS_EDIT,
    CLIENTS_EDIT_ANY,
    CLIENTS_READ_ANY,
    role_can,
)
from crmweb.clients import rules
from crmweb.clients.models import ArchiveAccessRequest, Client, ClientConfidential
from crmweb.errors import Conflict, NotAllowed, NotFound
from crmweb.extensions import db
from crmweb.settings import get_setting


def get_client(client_id: int) -> Client:
    client = db.session.get(Client, client_id)
    if client is None:
        raise NotFound(_("找不到该客户。"))
    return client


def has_active_grant(user_id: int, client_id: int, now: datetime) -> bool:
    """Asked once per request for a person and client (a page's parts each ask: who may see the
    archive, its secrets, the dealings); a grant given or revoked shows from the next request."""
    asked = g.setdefault("archive_grants", {}) if has_request_context() else {}
    key = (user_id, client_id, now)
    if key not in asked:
        asked[key] = db.session.scalar(
            sa.select(sa.func.count(ArchiveAccessRequest.id)).where(
                ArchiveAccessRequest.client_id == client_id,
                ArchiveAccessRequest.requester_id == user_id,
                ArchiveAccessRequest.status == "approved",
                ArchiveAccessRequest.expires_at > now)) > 0
    return asked[key]


def grant_until(user_id: int, client_id: int, now: datetime) -> datetime | None:
    """Until when the person's approved access to the client's archive lasts, if it does."""
    return db.session.scalar(
        sa.select(sa.func.max(ArchiveAccessRequest.expires_at)).where(
            ArchiveAccessRequest.client_id == client_id, ArchiveAccessRequest.requester_id == user_id,
            ArchiveAccessRequest.status == "approved", ArchiveAccessRequest.expires_at > now))


def access_pending(user_id: int, client_id: int) -> bool:
    """Whether the person has asked to read the archive and waits for a manager."""
    return db.session.scalar(sa.select(ArchiveAccessRequest.id).where(
        ArchiveAccessRequest.client_id == client_id, ArchiveAccessRequest.requester_id == user_id,
        ArchiveAccessRequest.status == "pending").limit(1)) is not None


def reads_without_grant(actor: User, client: Client) -> bool:
    """Directors, managers and the owner: the confidential part is theirs to read, no grant needed."""
    return rules.may_read_confidential(role_can(actor.role, ARCHIVE_READ_ANY), actor.id, client.owner_id,
                                       False)


def can_read_confidential(actor: User, client: Client, now: datetime) -> bool:
    return reads_without_grant(actor, client) or has_active_grant(actor.id, client.id, now)


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


def require_confidential(actor: User, client: Client, now: datetime, purpose: str) -> None:
    if not can_read_confidential(actor, client, now):
        raise NotAllowed(_("客户档案的保密部分仅限总监、经理和客户负责人查阅，请先申请查阅。"),
                         audit={"action": "archive.denied", "target_type": "client",
                                "target_id": client.id, "detail": purpose})


def confidential_row(client: Client) -> ClientConfidential:
    return db.session.get(ClientConfidential, client.id) or ClientConfidential(client_id=client.id)


def read_confidential(actor: User, client: Client, now: datetime) -> ClientConfidential:
    """The confidential sections; NotAllowed unless the actor may read them. The read is audited
    once per request, however many parts of the page show it (an audit log that counts one read
    three times cannot be trusted)."""
    require_confidential(actor, client, now, "view")
    audited = g.setdefault("archives_read", set()) if has_request_context() else set()
    if client.id not in audited:
        record_audit("archive.viewed", target_type="client", target_id=client.id, now=now)
        audited.add(client.id)
    return confidential_row(client)


def require_edit(actor: User, client: Client) -> None:
    if not can_edit(actor, client):
        raise NotAllowed(_("只有客户负责人、主管、经理和总监可以修改客户档案。"))


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
    if not role_can(actor.role, ARCHIVE_GRANT):
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
    if not role_can(actor.role, ARCHIVE_GRANT):
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
