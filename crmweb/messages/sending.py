"""Sends to a selection of clients' contacts: whom a send reaches and whom it leaves out (and why),
the fan-out into the outbox (a job: the request only writes the send), its progress, retries."""
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from crmweb import jobs
from crmweb.auth.audit import record_audit
from crmweb.auth.models import User
from crmweb.auth.permissions import CLIENTS_APPROVE_VIP, role_can
from crmweb.clients.models import Contact
from crmweb.clients.rules import birthday_dates
from crmweb.clients.search import SearchFilters, matching_ids
from crmweb.database import chunks, load_in
from crmweb.errors import Conflict
from crmweb.extensions import db
from crmweb.messages import optout, outbox, rules
from crmweb.messages.labels import EXCLUSIONS
from crmweb.messages.models import (
    MessageSend,
    MessageTemplate,
    OptOut,
    OutboxMessage,
    OutboxStatus,
    SendStatus,
)
from crmweb.messages.settings import daily_cap, quiet_hours
from crmweb.timeutil import local_zone, utcnow
from crmweb.workdays import holiday_name

MAX_CLIENTS = 20_000  # one send's selection at most
# What still counts against a recipient's daily cap.
_LIVE = (OutboxStatus.QUEUED, OutboxStatus.SENDING, OutboxStatus.SENT, OutboxStatus.DELIVERED)


@dataclass
class Selection:
    """Which clients' contacts a send goes to: the client list's own filters."""
    query: str = ""
    tier: str = ""
    vip: str = ""
    label_id: int | None = None
    # Only contacts whose birthday (solar or lunar) falls within these local days, ISO dates.
    birthday_from: str = ""
    birthday_to: str = ""

    def filters(self, sees_eligible: bool) -> SearchFilters:
        return SearchFilters(query=self.query, tier=self.tier, vip=self.vip, label_id=self.label_id,
                             sees_eligible=sees_eligible)

    def as_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Selection":
        return cls(**json.loads(text))


@dataclass
class Recipient:
    contact: Contact
    address: str | None
    exclusion: rules.Exclusion | None


@dataclass
class Preview:
    recipients: list[Recipient]
    excluded: Counter = field(default_factory=Counter)
    not_before: datetime | None = None     # later than asked, for the quiet hours

    @property
    def reached(self) -> int:
        return sum(1 for recipient in self.recipients if recipient.exclusion is None)


def recipients(template: MessageTemplate, selection: Selection, sees_eligible: bool,
               when: datetime) -> Preview:
    """Every contact of the selected clients, each with the reason it is left out, if any."""
    client_ids = matching_ids(selection.filters(sees_eligible), when, limit=MAX_CLIENTS)
    contacts = load_in(Contact, Contact.client_id, client_ids, selectinload(Contact.client))
    if selection.birthday_from and selection.birthday_to:
        first, last = date.fromisoformat(selection.birthday_from), date.fromisoformat(selection.birthday_to)
        born = birthday_dates(first, min((last - first).days + 1, 366))
        contacts = [contact for contact in contacts if _birthday(contact) in born]
    contacts.sort(key=lambda contact: (contact.client_id, not contact.is_key_person, contact.id))
    return assess(contacts, template.channel, when)


def _birthday(contact: Contact) -> tuple:
    return contact.birthday_calendar, contact.birth_month, contact.birth_day, contact.birthday_leap_month


def assess(contacts: list[Contact], channel: str, when: datetime) -> Preview:
    """Whom of these contacts a message on `channel` at `when` reaches, and why not the others:
    opted out, no address, not a mobile, the day's cap; and when it can go (quiet hours)."""
    ids = [contact.id for contact in contacts]
    opted = {row for batch in chunks(ids) for row in db.session.scalars(
        sa.select(OptOut.contact_id).where(OptOut.contact_id.in_(batch), OptOut.channel == channel))}
    local = rules.next_allowed(when.astimezone(local_zone()), quiet_hours())
    day_starts = local.replace(hour=0, minute=0, second=0, microsecond=0)
    that_day = (OutboxMessage.status.in_(_LIVE), OutboxMessage.not_before >= day_starts,
                OutboxMessage.not_before < day_starts + timedelta(days=1))
    already = Counter()
    for batch in chunks(ids):
        already.update(dict(db.session.execute(
            sa.select(OutboxMessage.contact_id, sa.func.count())
            .where(OutboxMessage.contact_id.in_(batch), *that_day).group_by(OutboxMessage.contact_id)).all()))
    preview = Preview([], not_before=local if local > when.astimezone(local_zone()) else None)
    for contact in contacts:
        address = contact.mobile if channel == "sms" else contact.email
        why = rules.exclusion(address, channel, contact.greetings_opt_out or contact.id in opted,
                              already[contact.id], daily_cap())
        preview.recipients.append(Recipient(contact, address, why))
        if why:
            preview.excluded[why] += 1
    return preview


def create_send(actor: User, template: MessageTemplate, selection: Selection, scheduled_at: datetime | None,
                now: datetime) -> MessageSend:
    """The send is written now; its messages go into the outbox in a job (thousands of them do
    not hold up the request), at once or when it is due."""
    send = MessageSend(template_id=template.id, selection=selection.as_json(), status=SendStatus.PREPARING,
                       description=describe(selection), scheduled_at=scheduled_at or now,
                       created_by_id=actor.id, created_at=now)
    db.session.add(send)
    db.session.flush()
    record_audit("messages.send_created", target_type="send", target_id=send.id, actor=actor, now=now,
                 detail=f"template={template.id} {send.description}"[:300])
    db.session.commit()
    if send.scheduled_at <= now:
        jobs.enqueue(fan_out, send.id)
    return send


def describe(selection: Selection) -> str:
    parts = [f"{name}={value}" for name, value in asdict(selection).items() if value not in ("", None)]
    return " ".join(parts) or _("全部客户")


def fan_out(send_id: int) -> None:
    """The job: the send's messages into the outbox, once each (a second run adds nothing), the
    left-out ones as skipped with their reason; then handed to the workers."""
    send = db.session.get(MessageSend, send_id)
    if send is None or send.status != SendStatus.PREPARING:
        return
    now = utcnow()
    creator = db.session.get(User, send.created_by_id)
    template = send.template
    preview = recipients(template, Selection.from_json(send.selection),
                         role_can(creator.role, CLIENTS_APPROVE_VIP), max(send.scheduled_at, now))
    not_before = (preview.not_before or max(send.scheduled_at, now))
    holiday = holiday_name(not_before.astimezone(local_zone()).date()) or ""
    rows = [{**outbox_row(template, recipient, not_before, holiday), "send_id": send.id,
             "idempotency_key": f"send:{send.id}:{recipient.contact.id}"} for recipient in preview.recipients]
    new_ids = outbox.queue_messages(rows, now)
    send.status = SendStatus.SENDING
    db.session.commit()
    if not_before <= now:
        outbox.hand_over(new_ids)


def outbox_row(template: MessageTemplate, recipient: Recipient, not_before: datetime, holiday: str,
               extra: dict[str, str] | None = None) -> dict:
    """The message a recipient gets from a template (its placeholders filled, `extra` filling
    more: an activity's), or the reason it does not; the caller adds the idempotency key."""
    contact, client = recipient.contact, recipient.contact.client
    values = {"称呼": rules.salutation(contact.name, contact.position), "姓名": contact.name,
              "公司": client.name, "节日": holiday,
              "客户经理": client.owner.display_name if client.owner else "", **(extra or {})}
    row = {"channel": template.channel, "client_id": client.id, "contact_id": contact.id,
           "recipient": recipient.address or "", "subject": rules.render(template.subject, values)[:200],
           "body": rules.render(template.body, values), "not_before": not_before}
    if template.provider_template:  # registered with the SMS provider: its code, our values
        row["provider_template"] = template.provider_template
        params = rules.provider_params(template.provider_params, values)
        row["params"] = json.dumps(params, ensure_ascii=False)
    if template.channel == "email":  # every email says how to receive no more
        row["body"] += optout.email_footer(contact.id)
    if recipient.exclusion:
        row.update(status=OutboxStatus.SKIPPED, error=str(EXCLUSIONS[recipient.exclusion]))
    return row


def message_to(template: MessageTemplate, contact: Contact, idempotency_key: str,
               now: datetime) -> tuple[list[int], rules.Exclusion | None]:
    """One message to one contact (the card that goes with a gift …), checked like every send and
    written to the outbox in the caller's transaction, once per key. Returns the ids to hand over
    after the commit (none when quiet hours hold it: the sweep sends it then) and why it was left
    out, if it was."""
    preview = assess([contact], template.channel, now)
    not_before = preview.not_before or now
    recipient = preview.recipients[0]
    holiday = holiday_name(not_before.astimezone(local_zone()).date()) or ""
    ids = outbox.queue_messages(
        [{**outbox_row(template, recipient, not_before, holiday), "idempotency_key": idempotency_key}], now)
    return (ids if preview.not_before is None and recipient.exclusion is None else []), recipient.exclusion


def due_sends(now: datetime) -> list[int]:
    """Sends whose time has come and whose messages are not yet in the outbox (the sweep)."""
    return db.session.scalars(sa.select(MessageSend.id).where(
        MessageSend.status == SendStatus.PREPARING, MessageSend.scheduled_at <= now)).all()


def progress(send: MessageSend) -> Counter:
    return Counter(dict(db.session.execute(sa.select(OutboxMessage.status, sa.func.count())
                                           .where(OutboxMessage.send_id == send.id)
                                           .group_by(OutboxMessage.status)).all()))


def is_done(send: MessageSend, counts: Counter) -> bool:
    waiting = counts[OutboxStatus.QUEUED] + counts[OutboxStatus.SENDING]
    return send.status == SendStatus.SENDING and not waiting


def retry_failed(actor: User, send: MessageSend, now: datetime) -> int:
    """The failed messages of a send, queued again (a refusal may have been fixed since)."""
    if send.status != SendStatus.SENDING:
        raise Conflict(_("这次群发还没有开始。"))
    ids = db.session.scalars(sa.update(OutboxMessage).where(
        OutboxMessage.send_id == send.id, OutboxMessage.status == OutboxStatus.FAILED)
        .values(status=OutboxStatus.QUEUED, not_before=now, error=None).returning(OutboxMessage.id)).all()
    record_audit("messages.retried", target_type="send", target_id=send.id, actor=actor, now=now,
                 detail=f"count={len(ids)}")
    db.session.commit()
    outbox.hand_over(list(ids))
    return len(ids)


def signature() -> str:
    return current_app.config["SMS_SIGN_NAME"]
