"""Opting out: per contact and channel (短信, 邮件, and 礼品 for the gifts area), kept until the
contact asks again, respected by every send, greeting and gift list. Every email carries a signed
link that records it without a login; a forged or altered link changes nothing. Staff record what
a client says by phone or letter on the client's page."""
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from crmweb.area import TodayCard
from crmweb.auth.audit import record_audit
from crmweb.auth.models import User
from crmweb.clients import access
from crmweb.clients.models import Client, Contact
from crmweb.errors import NotAllowed
from crmweb.extensions import db
from crmweb.messages.models import OptOut
from crmweb.timeutil import request_now

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


def opt_back_in(contact: Contact, channel: str, now: datetime) -> None:
    """The contact asked to hear from us again (by phone, in a letter)."""
    removed = db.session.execute(sa.delete(OptOut).where(OptOut.contact_id == contact.id,
                                                         OptOut.channel == channel)).rowcount
    if removed:
        record_audit("messages.opted_in", target_type="contact", target_id=contact.id, now=now,
                     detail=channel)
    db.session.commit()


# What a contact can refuse, as the client page names it.
CHANNELS = {"sms": _l("短信"), "email": _l("邮件"), "gifts": _l("礼品")}


def opted_out(contact_ids: list[int]) -> set[tuple[int, str]]:
    return set(db.session.execute(sa.select(OptOut.contact_id, OptOut.channel)
                                  .where(OptOut.contact_id.in_(contact_ids))).tuples())


def set_refusal(actor: User, contact: Contact, channel: str, refuses: bool, now: datetime) -> None:
    """Recorded by whoever may change the client's archive, on the client's word."""
    if not access.can_edit(actor, contact.client):
        raise NotAllowed(_("只有能修改该客户档案的人才能登记联系人的意愿。"))
    if refuses:
        opt_out(contact, channel, "staff", now)
    else:
        opt_back_in(contact, channel, now)


def preferences_card(actor: User, client: Client) -> TodayCard:
    return TodayCard("messages/_preferences.html", {
        "client": client, "refused": opted_out([contact.id for contact in client.contacts]),
        # Named once per page: a row per contact repeats them.
        "channels": {code: str(name) for code, name in CHANNELS.items()},
        "may_edit": access.can_edit(actor, client)})


def client_panels(actor: User, client: Client, may_read: bool) -> list[TodayCard]:
    """Beside the contacts, for whoever sees them: what each contact asked not to receive."""
    if not client.contacts or not access.can_see_archive(actor, client, request_now()):
        return []
    return [preferences_card(actor, client)]
