"""The client's gift ledger (礼品台账): every gift the client was given, on the client's page for
those who may read its dealings (gift values are confidential business data)."""
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from crmweb.area import TodayCard
from crmweb.extensions import db
from crmweb.gifts.models import Allocation, AllocationStatus, Campaign


def ledger(client_id: int) -> list[tuple[Allocation, Campaign]]:
    return db.session.execute(
        sa.select(Allocation, Campaign).join(Campaign, Campaign.id == Allocation.campaign_id)
        .where(Allocation.client_id == client_id, Allocation.status == AllocationStatus.SENT)
        .options(selectinload(Allocation.gift), selectinload(Allocation.decided_by))
        .order_by(Allocation.sent_at.desc())).all()


def client_panels(actor, client, may_read: bool) -> list[TodayCard]:
    if not may_read:
        return []
    given = ledger(client.id)
    total = sum((allocation.value for allocation, _campaign in given), Decimal(0))
    return [TodayCard("gifts/_ledger.html", {"given": given, "total": total})]
