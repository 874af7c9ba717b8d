"""The one helper every area uses to write the audit log."""
from flask import has_request_context, request
from flask_login import current_user

from crmweb.auth.models import AuditEvent
from crmweb.database import side_write
from crmweb.timeutil import utcnow


def record_audit(action: str, *, target_type: str | None = None, target_id=None,
                 detail: str | None = None, actor=None, now=None) -> None:
    """Write who did `action` to what, when and from where.

    In a read-only request (a confidential page viewed, a denial) the record is committed at
    once. In a request or command that changes data it joins that transaction, so the change and
    its record commit or roll back together: the caller commits.
    """
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    with side_write() as session:
        session.add(AuditEvent(
            at=now or utcnow(),
            actor_id=actor.id if actor is not None else None,
            actor_name=actor.username if actor is not None else None,
            action=action,
            target_type=target_type,
            target_id=str(target_id) if target_id is not None else None,
            detail=detail[:500] if detail else None,
            ip=request.remote_addr if has_request_context() else None,
        ))
