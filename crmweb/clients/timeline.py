"""The timeline: interactions and purchase/service events recorded, corrected and voided, and
the figures that follow from them (last contact, purchases, VIP eligibility)."""
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from crmweb.auth.audit import record_audit
from crmweb.auth.models import User
from crmweb.auth.permissions import CLIENTS_EDIT_ANY, role_can
from crmweb.clients import rules, signals
from crmweb.clients.access import can_edit, confidential_row, require_edit
from crmweb.clients.models import Client, Interaction, ServiceEvent
from crmweb.errors import Conflict, Invalid, NotAllowed
from crmweb.extensions import db
from crmweb.settings import get_setting
from crmweb.timeutil import local_zone


def timeline(client: Client, limit: int = 100) -> list:
    """Interactions and purchase/service events, newest first, as one list."""
    # Author and contact joined in (one row each): a statement per relation cost more than the rows.
    interactions = db.session.scalars(
        sa.select(Interaction).where(Interaction.client_id == client.id)
        .options(joinedload(Interaction.author), joinedload(Interaction.contact))
        .order_by(Interaction.occurred_at.desc()).limit(limit)).all()
    events = db.session.scalars(
        sa.select(ServiceEvent).where(ServiceEvent.client_id == client.id)
        .options(joinedload(ServiceEvent.author))
        .order_by(ServiceEvent.occurred_at.desc()).limit(limit)).all()
    return sorted([*interactions, *events], key=lambda item: item.occurred_at, reverse=True)[:limit]


def record_interaction(actor: User, client: Client, values: dict, now: datetime) -> Interaction:
    """One touch with the client (later issues hang callbacks on this)."""
    if values.get("contact_id") and not any(c.id == values["contact_id"] for c in client.contacts):
        raise Invalid(_("联系人不属于该客户。"))
    interaction = Interaction(client_id=client.id, author_id=actor.id, created_at=now, **values)
    db.session.add(interaction)
    if client.last_contact_at is None or interaction.occurred_at > client.last_contact_at:
        client.last_contact_at = interaction.occurred_at
    db.session.flush()
    signals.interaction_recorded.send(interaction, client=client, actor=actor, now=now)
    db.session.commit()
    return interaction


def record_event(actor: User, client: Client, values: dict, now: datetime) -> ServiceEvent:
    """A purchase or service event; a sale updates the dealings and the VIP eligibility, so only
    those who may change the archive record one with an amount."""
    event = ServiceEvent(client_id=client.id, author_id=actor.id, created_at=now, **values)
    if event.kind == "sale" and event.amount:
        if not can_edit(actor, client):
            raise NotAllowed(_("销售金额会改变业务往来，只有客户负责人、主管、经理和总监可以记录。"),
                             audit={"action": "archive.denied", "target_type": "client",
                                    "target_id": client.id, "detail": "sale"})
        dealings = confidential_row(client)
        total = (dealings.total_purchases or Decimal(0)) + event.amount
        if total > rules.MONEY_MAX:
            raise Invalid(_("累计购买额将超出系统上限，请核对金额。"))
        db.session.add_all([event, dealings])
        dealings.total_purchases = total
        dealings.largest_purchase = max(dealings.largest_purchase or Decimal(0), event.amount)
        if client.stage == "prospect":
            client.stage = "customer"
        db.session.flush()
        refresh_vip_eligibility(client)
        record_audit("archive.changed", target_type="client", target_id=client.id,
                     detail="sale:total_purchases,largest_purchase", actor=actor, now=now)
    db.session.add(event)
    record_audit("client.event_recorded", target_type="client", target_id=client.id,
                 detail=event.kind, actor=actor, now=now)
    db.session.flush()
    signals.event_changed.send(event, client=client, actor=actor, now=now)
    db.session.commit()
    return event


def refresh_vip_eligibility(client: Client) -> None:
    """Eligible by rule when the (standing) sales say so; no longer when they stop saying so."""
    if client.vip_status not in ("none", "eligible"):
        return
    sales = db.session.execute(sa.select(ServiceEvent.occurred_at, ServiceEvent.amount, ServiceEvent.high_end)
                               .where(ServiceEvent.client_id == client.id, ServiceEvent.kind == "sale",
                                      ServiceEvent.amount.is_not(None),
                                      ServiceEvent.voided_at.is_(None))).all()
    reason = rules.vip_eligibility(
        [rules.Purchase(*row) for row in sales], get_setting("vip.single_purchase_min"),
        get_setting("vip.monthly_purchase_min"), local_zone())
    client.vip_status, client.vip_reason = ("eligible", reason) if reason else ("none", None)


def can_correct(actor: User, record, now: datetime) -> bool:
    return rules.may_correct_record(record.author_id is not None and record.author_id == actor.id,
                                    role_can(actor.role, CLIENTS_EDIT_ANY), record.created_at, now)


def _require_correct(actor: User, client: Client, record, now: datetime) -> None:
    if record.voided:
        raise Conflict(_("该记录已作废。"))
    if not can_correct(actor, record, now):
        raise NotAllowed(_("记录人可在一天内更正或作废自己的记录，之后请找主管。"))
    if isinstance(record, ServiceEvent) and record.kind == "sale" and record.amount:
        require_edit(actor, client)  # the dealings change with it


def correct_record(actor: User, client: Client, record, values: dict, reason: str, now: datetime) -> None:
    """Change an interaction or event entered wrongly; the figures that follow from it follow."""
    _require_correct(actor, client, record, now)
    was_sale = _sale_amount(record)
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    for name in changed:
        setattr(record, name, values[name])
    if _sale_amount(record) and not can_edit(actor, client):
        raise NotAllowed(_("销售金额会改变业务往来，只有客户负责人、主管、经理和总监可以记录。"))
    if changed:
        record.corrected_at = now
        _after_timeline_change(actor, client, was_sale, _sale_amount(record), now)
        record_audit(f"{_record_kind(record)}.corrected", target_type="client", target_id=client.id,
                     actor=actor, now=now, detail=f"{_record_kind(record)}={record.id} "
                                                  f"fields={','.join(changed)} reason={reason[:80]}")
        if isinstance(record, ServiceEvent):
            signals.event_changed.send(record, client=client, actor=actor, now=now)
    db.session.commit()


def void_record(actor: User, client: Client, record, reason: str, now: datetime) -> None:
    """An entry made by mistake stays visible, struck through, and stops counting."""
    _require_correct(actor, client, record, now)
    was_sale = _sale_amount(record)
    record.voided_at, record.voided_by_id, record.void_reason = now, actor.id, reason[:200]
    _after_timeline_change(actor, client, was_sale, Decimal(0), now)
    record_audit(f"{_record_kind(record)}.voided", target_type="client", target_id=client.id,
                 actor=actor, now=now, detail=f"{_record_kind(record)}={record.id} reason={reason[:80]}")
    if isinstance(record, ServiceEvent):
        signals.event_changed.send(record, client=client, actor=actor, now=now)
    db.session.commit()


def _record_kind(record) -> str:
    return "interaction" if isinstance(record, Interaction) else "event"


def _sale_amount(record) -> Decimal:
    if isinstance(record, ServiceEvent) and record.kind == "sale" and not record.voided:
        return record.amount or Decimal(0)
    return Decimal(0)


def _after_timeline_change(actor: User, client: Client, old_sale: Decimal, new_sale: Decimal,
                           now: datetime) -> None:
    """Last contact, purchases and VIP eligibility as the standing entries now say."""
    db.session.flush()
    client.last_contact_at = db.session.scalar(
        sa.select(sa.func.max(Interaction.occurred_at))
        .where(Interaction.client_id == client.id, Interaction.voided_at.is_(None)))
    if old_sale == new_sale:
        return
    dealings = confidential_row(client)
    db.session.add(dealings)
    total = max(Decimal(0), (dealings.total_purchases or Decimal(0)) - old_sale + new_sale)
    if total > rules.MONEY_MAX:
        raise Invalid(_("累计购买额将超出系统上限，请核对金额。"))
    dealings.total_purchases = total
    dealings.largest_purchase = db.session.scalar(
        sa.select(sa.func.max(ServiceEvent.amount)).where(
            ServiceEvent.client_id == client.id, ServiceEvent.kind == "sale",
            ServiceEvent.voided_at.is_(None)))
    refresh_vip_eligibility(client)
    record_audit("archive.changed", target_type="client", target_id=client.id, actor=actor, now=now,
                 detail="correction:total_purchases,largest_purchase")
