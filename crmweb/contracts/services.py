"""Contracts' use cases: kept on the client's archive by who may change it (the amount only by who
may read the dealings, every read and change of it audited), listed by the dates that matter, and
the owner reminded of them on the "today" page and by message (the daily pass)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from crmweb.auth.audit import record_audit
from crmweb.auth.models import User
from crmweb.auth.permissions import CLIENTS_READ_ANY, role_can
from crmweb.clients import access
from crmweb.clients.models import Client
from crmweb.contracts import rules
from crmweb.contracts.models import Contract
from crmweb.contracts.rules import Reminder
from crmweb.dashboard.notices import notify
from crmweb.errors import Conflict, NotFound
from crmweb.extensions import db
from crmweb.messages import outbox
from crmweb.timeutil import local_zone, utcnow

# The day each kind of reminder was last sent for (a column of the contract).
REMINDED = {
    Reminder.SIGNING: "signing_reminded_for",
    Reminder.RENEWAL: "renewal_reminded_for",
    Reminder.EXPIRY: "expiry_reminded_for",
}


def contracts_of(client: Client) -> list[Contract]:
    return db.session.scalars(
        sa.select(Contract)
        .where(Contract.client_id == client.id)
        .order_by(Contract.ends_on.desc(), Contract.id)
    ).all()


def get_contract(actor: User, contract_id: int, now: datetime) -> Contract:
    """The contract for who sees its client's archive; anyone else is told it is not there."""
    contract = db.session.get(Contract, contract_id)
    if contract is None or not access.can_see_archive(actor, contract.client, now):
        raise NotFound(_("找不到该合同。"))
    return contract


def amount_for(actor: User, contract: Contract, now: datetime):
    """The amount, for who reads the client's dealings (the read audited); None for the others."""
    if contract.amount is None or not access.can_read_confidential(actor, contract.client, now):
        return None
    record_audit(
        "archive.viewed",
        target_type="client",
        target_id=contract.client_id,
        actor=actor,
        now=now,
        detail=f"contract={contract.id}",
    )
    db.session.commit()
    return contract.amount


def save_contract(
    actor: User, client: Client, contract: Contract | None, values: dict, now: datetime
) -> Contract:
    """A contract written or changed by who may change the archive. The amount is taken only from
    who may read the dealings (others leave it as it is) and its change is audited."""
    access.require_edit(actor, client)
    amount = values.pop("amount", None)
    taken = db.session.scalar(
        sa.select(Contract.id).where(
            Contract.number == values["number"], Contract.id != (contract.id if contract else 0)
        )
    )
    number_taken = Conflict(_("合同编号 %(number)s 已经用过。", number=values["number"]))
    if taken:
        raise number_taken
    if contract is None:
        contract = Contract(client_id=client.id, created_by_id=actor.id, created_at=now)
        db.session.add(contract)
    for name, value in values.items():
        setattr(contract, name, value)
    contract.updated_at = now
    try:
        db.session.flush()
    except sa.exc.IntegrityError:  # the same number saved by someone else a moment ago
        db.session.rollback()
        raise number_taken from None
    if access.can_read_confidential(actor, client, now) and amount != contract.amount:
        contract.amount = amount
        record_audit(
            "archive.changed",
            target_type="client",
            target_id=client.id,
            actor=actor,
            now=now,
            detail=f"contract={contract.id} amount",
        )
    record_audit(
        "contracts.saved",
        target_type="client",
        target_id=client.id,
        actor=actor,
        now=now,
        detail=f"contract={contract.id} {contract.number}",
    )
    db.session.commit()
    return contract


def _visible(query, actor: User):
    """Only the contracts of clients whose archive the person sees (their own, for sales)."""
    if role_can(actor.role, CLIENTS_READ_ANY):
        return query
    return query.where(Client.owner_id == actor.id)


def expiring(actor: User, today: date, days: int) -> list[Contract]:
    """Contracts ending within `days` from today, soonest first."""
    query = (
        sa.select(Contract)
        .join(Client, Client.id == Contract.client_id)
        .where(Contract.ends_on >= today, Contract.ends_on <= today + timedelta(days=days))
        .options(selectinload(Contract.client).selectinload(Client.owner))
        .order_by(Contract.ends_on, Contract.id)
        .limit(500)
    )
    return db.session.scalars(_visible(query, actor)).all()


@dataclass(frozen=True)
class Due:
    contract: Contract
    reminders: dict  # Reminder → the day it is about


def due_for(owner_ids: list[int] | None, today: date) -> list[Due]:
    """Contracts with a reminder due today (for these owners, or everyone's), found by the dates the
    rules look at, then asked of the rules."""
    query = (
        sa.select(Contract)
        .join(Client, Client.id == Contract.client_id)
        .where(
            sa.or_(
                sa.and_(
                    Contract.signed_on.is_(None),
                    Contract.signing_due_on.between(today, today + rules.SIGNING_LEAD),
                ),
                Contract.ends_on >= today,
            )
        )
        .options(selectinload(Contract.client))
        .order_by(Contract.id)
    )
    if owner_ids is not None:
        query = query.where(Client.owner_id.in_(owner_ids))
    found = []
    for contract in db.session.scalars(query):
        reminders = rules.reminders_due(contract.dates, today)
        if reminders:
            found.append(Due(contract, reminders))
    return found


def _reminder_text(contract: Contract, reminder: Reminder, day: date) -> str:
    texts = {
        Reminder.SIGNING: _("请提醒客户签约：%(client)s 的合同 %(number)s（%(title)s）须在 %(day)s 前签订。"),
        Reminder.RENEWAL: _(
            "续约通知期：%(client)s 的合同 %(number)s（%(title)s）续约与否须在 %(day)s 前告知。"
        ),
        Reminder.EXPIRY: _("合同到期：%(client)s 的合同 %(number)s（%(title)s）将于 %(day)s 到期。"),
    }
    return texts[reminder] % {
        "client": contract.client.name,
        "number": contract.number,
        "title": contract.title,
        "day": day.isoformat(),
    }


def send_reminders(now: datetime | None = None) -> int:
    """The daily pass: each reminder due is sent once (for the day it is about) to the client's owner,
    as a notice on their pages and by SMS and email where they gave them. Returns how many."""
    now = now or utcnow()
    today = now.astimezone(local_zone()).date()
    sent, messages = 0, []
    for due in due_for(None, today):
        contract = due.contract
        owner = db.session.get(User, contract.client.owner_id) if contract.client.owner_id else None
        for reminder, day in due.reminders.items():
            if getattr(contract, REMINDED[reminder]) == day or owner is None:
                continue
            setattr(contract, REMINDED[reminder], day)
            text = _reminder_text(contract, reminder, day)
            notify(owner.id, text, f"/contracts/{contract.id}", now)
            messages += outbox.for_person(
                owner, text, contract.client_id, f"contract:{contract.id}:{reminder}:{day.isoformat()}", now
            )
            sent += 1
    ids = outbox.queue_messages(messages, now)
    db.session.commit()
    outbox.hand_over(ids)
    return sent
