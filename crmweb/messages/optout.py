"""Opting out: per contact and channel, kept forever, respected by every send and greeting. Every
email carries a signed link that records it without a login; a forged or altered link changes
nothing."""
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from crmweb.auth.audit import record_audit
from crmweb.clients.models import Contact
from crmweb.extensions import db
from crmweb.messages.models import OptOut

SALT = "crmweb.unsubscribe"


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_url(contact_id: int, channel: str) -> str:
    token = _signer().dumps([contact_id, channel])
    return f"{current_app.config['BASE_URL'].rstrip('/')}/messages/unsubscribe/{token}"


def email_footer(contact_id: int) -> str:
    return "\n\n" + _("不想再收到我们的邮件？退订：%(url)s", url=unsubscribe_url(contact_id, "email"))


def read_token(token: str) -> tuple[Contact, str] | None:
    """The contact and channel a link was made for, or None for a link nobody made."""
    try:
        contact_id, channel = _signer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    contact = db.session.get(Contact, contact_id) if isinstance(contact_id, int) else None
    return (contact, channel) if contact is not None and channel in ("sms", "email") else None


def opt_out(contact: Contact, channel: str, source: str, now: datetime) -> None:
    """Recorded once; asking again changes nothing."""
    if db.session.get(OptOut, (contact.id, channel)) is None:
        db.session.add(OptOut(contact_id=contact.id, channel=channel, source=source, created_at=now))
        record_audit("messages.opted_out", target_type="contact", target_id=contact.id, now=now,
                     detail=f"{channel} {source}")
    db.session.commit()
