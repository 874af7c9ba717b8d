"""What SMS providers tell us afterwards: delivery receipts and the clients' replies.

Both arrive at public addresses; what can be checked is: the secret in the address (only the
provider was given it), and for a receipt that the provider's message id belongs to our message.
A receipt that comes twice changes nothing the second time. A reply lands on the client's
timeline and its owner is told; 退订, TD, T or N opts the contact out of SMS.
"""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from crmweb.auth.actors import CommandLineActor
from crmweb.clients import timeline
from crmweb.clients.models import Contact
from crmweb.dashboard.notices import notify
from crmweb.extensions import db
from crmweb.messages import optout
from crmweb.messages.models import OutboxMessage, OutboxStatus

OPT_OUT_WORDS = {"退订", "TD", "T", "N"}


def receipt(provider_message_id: str, out_id: str | None, delivered: bool, reason: str,
            now: datetime) -> bool:
    """A delivery receipt; False when it is not about a message of ours (the provider's id we were
    given, and our id where the provider repeats it)."""
    message = None
    if provider_message_id:
        message = db.session.scalars(sa.select(OutboxMessage).where(
            OutboxMessage.provider_message_id == str(provider_message_id)[:100])).first()
    if message is None or (out_id is not None and str(out_id) != str(message.id)):
        return False
    if message.status in (OutboxStatus.SENT, OutboxStatus.UNKNOWN):  # a second receipt changes nothing
        if delivered:
            message.status, message.delivered_at = OutboxStatus.DELIVERED, now
        else:
            message.status, message.error = OutboxStatus.FAILED, reason[:500]
    db.session.commit()
    return True


def reply(mobile: str, text: str, now: datetime) -> int:
    """A client's SMS back: on the timeline of each client whose contact has this mobile, its owner
    told; an opt-out word opts the contact out. Returns how many contacts it was from."""
    e164 = mobile if mobile.startswith("+") else f"+86{mobile}"
    contacts = db.session.scalars(sa.select(Contact).where(Contact.mobile == e164)).all()
    for contact in contacts:
        client = contact.client
        timeline.record_interaction(CommandLineActor(), client, {
            "kind": "communication", "channel": "sms", "occurred_at": now, "contact_id": contact.id,
            "content": _("短信回复（%(name)s）：%(text)s", name=contact.name, text=text[:500])}, now)
        if client.owner_id:
            notify(client.owner_id, _("%(client)s 的 %(name)s 回复短信：%(text)s", client=client.name,
                                      name=contact.name, text=text[:60]), f"/clients/{client.id}", now)
        if text.strip().upper() in OPT_OUT_WORDS:
            optout.opt_out(contact, "sms", "reply", now)
    db.session.commit()
    return len(contacts)
