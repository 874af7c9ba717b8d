"""Gift campaigns: their period, budget and category limits, and the allocations on their lists.

An allocation takes a place in its category's quota and its value from the budget by conditional
UPDATEs in the same transaction as the allocation itself, and a client is on a campaign once (a
unique key): so people compiling lists at the same moment can never pass a quota or the budget
together, whatever each of them saw a moment before.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from crmweb.auth.audit import record_audit
from crmweb.auth.models import User
from crmweb.auth.permissions import role_can
from crmweb.clients.models import Client, Contact
from crmweb.errors import Conflict, Invalid, NotAllowed, NotFound
from crmweb.extensions import db
from crmweb.gifts import rules
from crmweb.gifts.labels import REFUSALS
from crmweb.gifts.models import Allocation, AllocationStatus, Campaign, CampaignCategory, Gift
from crmweb.gifts.rules import Category, Refusal
from crmweb.ids import MAX_ID
from crmweb.messages.models import OptOut
from crmweb.messages.rules import festival_date

LEAD_DAYS = 14  # a campaign from the calendar: the gifts go out in the two weeks before the festival


def campaigns() -> list[Campaign]:
    return db.session.scalars(
        sa.select(Campaign).order_by(Campaign.starts_on.desc(), Campaign.id.desc())
    ).all()


def get_campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(_("找不到该馈赠活动。"))
    return campaign


def find_client(client_id: int | None) -> Client | None:
    return db.session.get(Client, client_id) if client_id and 0 < client_id <= MAX_ID else None


def festival_period(festival: str, year: int) -> tuple[date, date]:
    """A campaign started from the holiday calendar: the two weeks up to the festival."""
    day = festival_date(festival, year)
    return day - timedelta(days=LEAD_DAYS), day


@dataclass
class Limits:
    value_cap: Decimal
    quota: int


def create_campaign(
    actor: User,
    name: str,
    starts_on: date,
    ends_on: date,
    budget: Decimal,
    limits: dict[Category, Limits],
    occasion: str,
    now: datetime,
) -> Campaign:
    if db.session.scalar(sa.select(Campaign.id).where(Campaign.name == name.strip())):
        raise Conflict(_("已有同名馈赠活动。"))
    campaign = Campaign(
        name=name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        budget=budget,
        committed=Decimal(0),
        occasion=occasion,
        created_by_id=actor.id,
        created_at=now,
        categories=[
            CampaignCategory(category=category, value_cap=limit.value_cap, quota=limit.quota, taken=0)
            for category, limit in limits.items()
        ],
    )
    db.session.add(campaign)
    db.session.flush()
    record_audit(
        "gifts.campaign_created",
        target_type="campaign",
        target_id=campaign.id,
        actor=actor,
        now=now,
        detail=name,
    )
    db.session.commit()
    return campaign


def allocations(campaign: Campaign) -> list[Allocation]:
    return db.session.scalars(
        sa.select(Allocation).where(Allocation.campaign_id == campaign.id).order_by(Allocation.id)
    ).all()


def recipient(client: Client) -> Contact | None:
    """Who receives the client's gift: its key person, else its first contact."""
    return client.contacts[0] if client.contacts else None


def refusal_for(
    campaign: Campaign,
    client: Client,
    contact: Contact | None,
    gift: Gift,
    quantity: int,
    category: Category | None,
) -> Refusal | None:
    """What the plan says against this allocation now (the form asks it as it changes)."""
    limits = {row.category: row for row in campaign.categories}
    row = limits.get(category) if category else None
    room = rules.Room(
        value_cap=row.value_cap if row else Decimal(0),
        quota_left=row.quota - row.taken if row else 0,
        budget_left=campaign.budget - campaign.committed,
        stock_available=rules.available(gift.stock, gift.reserved),
    )
    opted_out = contact is not None and db.session.get(OptOut, (contact.id, "gifts")) is not None
    listed = (
        db.session.scalar(
            sa.select(Allocation.id).where(
                Allocation.campaign_id == campaign.id, Allocation.client_id == client.id
            )
        )
        is not None
    )
    return rules.allocation_refusal(
        category=category if row else None,
        lost=client.stage == "lost",
        opted_out=opted_out,
        already_listed=listed,
        unit_value=gift.unit_value,
        quantity=quantity,
        room=room,
    )


def allocate(
    actor: User,
    campaign: Campaign,
    client: Client,
    contact: Contact | None,
    gift: Gift,
    quantity: int,
    now: datetime,
    category: Category | None = None,
    override_reason: str = "",
) -> Allocation:
    """One client's gift on the campaign's list; Invalid with the plan's reason when it does not fit."""
    by_archive = rules.category_of(client.stage, client.tier, client.vip_status)
    if category and category != by_archive and not override_reason.strip():
        raise Invalid(_("改变客户类别须说明理由。"))
    chosen = category or by_archive
    if chosen and not role_can(actor.role, rules.COMPILERS[chosen]):
        raise NotAllowed(_("您不能编制这一类客户的馈赠名单。"))
    refused = refusal_for(campaign, client, contact, gift, quantity, chosen)
    if refused:
        raise Invalid(str(REFUSALS[refused]))
    value = gift.unit_value * quantity
    # The quota and the budget taken in this transaction, each only if it still fits.
    took_place = db.session.execute(
        sa.update(CampaignCategory)
        .where(
            CampaignCategory.campaign_id == campaign.id,
            CampaignCategory.category == chosen,
            CampaignCategory.taken < CampaignCategory.quota,
        )
        .values(taken=CampaignCategory.taken + 1)
    ).rowcount
    took_money = (
        took_place
        and db.session.execute(
            sa.update(Campaign)
            .where(Campaign.id == campaign.id, Campaign.committed + value <= Campaign.budget)
            .values(committed=Campaign.committed + value)
        ).rowcount
    )
    if not took_money:
        db.session.rollback()
        raise Invalid(str(REFUSALS[Refusal.OVER_QUOTA if not took_place else Refusal.OVER_BUDGET]))
    allocation = Allocation(
        campaign_id=campaign.id,
        client_id=client.id,
        contact_id=contact.id if contact else None,
        category=chosen,
        override_reason=override_reason.strip()[:200] if category else "",
        gift_id=gift.id,
        quantity=quantity,
        unit_value=gift.unit_value,
        status=AllocationStatus.DRAFT,
        created_by_id=actor.id,
        created_at=now,
    )
    db.session.add(allocation)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:  # the same client added by someone else a moment ago
        db.session.rollback()
        raise Invalid(str(REFUSALS[Refusal.ALREADY_LISTED])) from None
    record_audit(
        "gifts.allocated",
        target_type="campaign",
        target_id=campaign.id,
        actor=actor,
        now=now,
        detail=f"client={client.id} gift={gift.id} x{quantity} {chosen}",
    )
    db.session.commit()
    return allocation


@dataclass
class BulkResult:
    added: int
    refused: dict  # reason (words) → how many


def allocate_many(
    actor: User, campaign: Campaign, client_ids: list[int], gift: Gift, quantity: int, now: datetime
) -> BulkResult:
    """Many clients at once (a search, a group or a tier), each by the same rules as one: those
    that fit are listed, the others counted by the reason the plan gives."""
    added, refused = 0, {}
    for client_id in client_ids:
        client = db.session.get(Client, client_id)
        try:
            allocate(
                actor,
                db.session.get(Campaign, campaign.id),
                client,
                recipient(client),
                db.session.get(Gift, gift.id),
                quantity,
                now,
            )
            added += 1
        except (Invalid, NotAllowed) as reason:
            refused[reason.message] = refused.get(reason.message, 0) + 1
    return BulkResult(added, refused)
