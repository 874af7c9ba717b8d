"""The approval chain of a campaign's lists, by category (馈赠管理方案), and sending.

A list (a campaign's allocations of one category) is submitted by who compiles it and approved or
returned by its approver. Approval reserves the stock, withdrawing an approval releases it, sending
issues it — each one conditional UPDATE, so the stock can never be promised twice.
"""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from crmweb.auth.audit import record_audit
from crmweb.auth.models import User
from crmweb.auth.permissions import role_can
from crmweb.clients import timeline
from crmweb.clients.models import Contact
from crmweb.errors import Conflict, Invalid, NotAllowed
from crmweb.extensions import db
from crmweb.gifts import campaigns, rules
from crmweb.gifts.models import Allocation, AllocationStatus, Campaign, Gift, StockMovement
from crmweb.gifts.rules import Category, MovementKind
from crmweb.messages import outbox, sending
from crmweb.messages.labels import EXCLUSIONS
from crmweb.messages.models import MessageTemplate


def _list(campaign: Campaign, category: Category, *statuses: str) -> list[Allocation]:
    return db.session.scalars(
        sa.select(Allocation)
        .where(
            Allocation.campaign_id == campaign.id,
            Allocation.category == category,
            Allocation.status.in_(statuses),
        )
        .order_by(Allocation.id)
    ).all()


def _require(actor: User, permission: str, message: str) -> None:
    if not role_can(actor.role, permission):
        raise NotAllowed(message)


def submit(actor: User, campaign: Campaign, category: Category, now: datetime) -> int:
    """The compiled list goes to its approver."""
    _require(actor, rules.COMPILERS[category], _("您不能编制这一类客户的馈赠名单。"))
    listed = _list(campaign, category, AllocationStatus.DRAFT, AllocationStatus.RETURNED)
    if not listed:
        raise Invalid(_("名单上没有待提交的客户。"))
    for allocation in listed:
        allocation.status = AllocationStatus.SUBMITTED
    record_audit(
        "gifts.list_submitted",
        target_type="campaign",
        target_id=campaign.id,
        actor=actor,
        now=now,
        detail=f"{category} count={len(listed)}",
    )
    db.session.commit()
    return len(listed)


def approve(actor: User, campaign: Campaign, category: Category, now: datetime) -> int:
    """Approved, every gift on the list is reserved in stock; one that no longer fits stops it all."""
    _require(actor, rules.APPROVERS[category], _("这一类客户的馈赠名单须由其审批人批准。"))
    submitted = _list(campaign, category, AllocationStatus.SUBMITTED)
    if not submitted:
        raise Conflict(_("没有待批准的名单。"))
    for allocation in submitted:
        reserved = db.session.execute(
            sa.update(Gift)
            .where(Gift.id == allocation.gift_id, Gift.stock - Gift.reserved >= allocation.quantity)
            .values(reserved=Gift.reserved + allocation.quantity)
        ).rowcount
        if not reserved:
            name = allocation.gift.name
            db.session.rollback()
            raise Invalid(_("库存不足，不能批准：%(name)s。", name=name))
        allocation.status, allocation.decided_by_id, allocation.decided_at = (
            AllocationStatus.APPROVED,
            actor.id,
            now,
        )
    record_audit(
        "gifts.list_approved",
        target_type="campaign",
        target_id=campaign.id,
        actor=actor,
        now=now,
        detail=f"{category} count={len(submitted)}",
    )
    db.session.commit()
    return len(submitted)


def send_back(actor: User, campaign: Campaign, category: Category, comment: str, now: datetime) -> int:
    """Returned to who compiled it, with a comment; an approval withdrawn releases its stock."""
    _require(actor, rules.APPROVERS[category], _("这一类客户的馈赠名单须由其审批人退回。"))
    if not comment.strip():
        raise Invalid(_("退回须写明意见。"))
    returned = _list(campaign, category, AllocationStatus.SUBMITTED, AllocationStatus.APPROVED)
    for allocation in returned:
        if allocation.status == AllocationStatus.APPROVED:
            db.session.execute(
                sa.update(Gift)
                .where(Gift.id == allocation.gift_id)
                .values(reserved=Gift.reserved - allocation.quantity)
            )
        allocation.status, allocation.comment = AllocationStatus.RETURNED, comment.strip()[:300]
        allocation.decided_by_id, allocation.decided_at = actor.id, now
    record_audit(
        "gifts.list_returned",
        target_type="campaign",
        target_id=campaign.id,
        actor=actor,
        now=now,
        detail=f"{category} count={len(returned)}",
    )
    db.session.commit()
    return len(returned)


def mark_sent(actor: User, allocation: Allocation, delivery: str, now: datetime,
              greeting: MessageTemplate | None = None) -> str | None:
    """Only an approved gift is sent: its stock issued, and it lands on the client's timeline;
    with a greeting, a message to the recipient goes with it (once). Returns why the greeting
    could not go, if it could not."""
    if allocation.status != AllocationStatus.APPROVED:
        raise Conflict(_("只有已批准的礼品才能发放。"))
    quantity = allocation.quantity
    stock_after = db.session.scalar(
        sa.update(Gift)
        .where(Gift.id == allocation.gift_id, Gift.reserved >= quantity, Gift.stock >= quantity)
        .values(stock=Gift.stock - quantity, reserved=Gift.reserved - quantity)
        .returning(Gift.stock)
    )
    if stock_after is None:
        db.session.rollback()
        raise Conflict(_("库存与预留不一致，请先盘点。"))
    campaign = db.session.get(Campaign, allocation.campaign_id)
    db.session.add(
        StockMovement(
            gift_id=allocation.gift_id,
            kind=MovementKind.ISSUED,
            change=-quantity,
            stock_after=stock_after,
            reason=campaign.name[:200],
            actor_id=actor.id,
            at=now,
        )
    )
    allocation.status, allocation.sent_by_id, allocation.sent_at = AllocationStatus.SENT, actor.id, now
    allocation.delivery = delivery.strip()[:100]
    to_hand_over, not_greeted = _greeting(allocation, greeting, now) if greeting else ([], None)
    record_audit(
        "gifts.sent",
        target_type="client",
        target_id=allocation.client_id,
        actor=actor,
        now=now,
        detail=f"allocation={allocation.id}",
    )
    timeline.record_interaction(
        actor,
        allocation.client,
        {
            "kind": "communication",
            "channel": "other",
            "occurred_at": now,
            "content": _(
                "赠送礼品：%(gift)s × %(quantity)s（%(campaign)s）",
                gift=allocation.gift.name,
                quantity=quantity,
                campaign=campaign.name,
            ),
        },
        now,
    )
    outbox.hand_over(to_hand_over)
    return not_greeted


def _greeting(
    allocation: Allocation, template: MessageTemplate, now: datetime
) -> tuple[list[int], str | None]:
    contact = (db.session.get(Contact, allocation.contact_id) if allocation.contact_id
               else campaigns.recipient(allocation.client))
    if contact is None:
        return [], _("该客户没有联系人")
    ids, exclusion = sending.message_to(template, contact, f"gift:{allocation.id}", now)
    return ids, str(EXCLUSIONS[exclusion]) if exclusion else None
