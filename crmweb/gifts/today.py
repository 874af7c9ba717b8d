"""The gift area's card on the "today" page: gift lists waiting for this person's approval."""
from datetime import date, datetime

import sqlalchemy as sa

from crmweb.area import TodayCard
from crmweb.auth.models import User
from crmweb.auth.permissions import role_can
from crmweb.extensions import db
from crmweb.gifts import labels, rules
from crmweb.gifts.models import Allocation, AllocationStatus, Campaign


def today_cards(user: User, now: datetime, today: date) -> list[TodayCard]:
    mine = [category for category, permission in rules.APPROVERS.items() if role_can(user.role, permission)]
    if not mine:
        return []
    waiting = db.session.execute(
        sa.select(Campaign, Allocation.category, sa.func.count())
        .join(Allocation, Allocation.campaign_id == Campaign.id)
        .where(Allocation.status == AllocationStatus.SUBMITTED, Allocation.category.in_(mine))
        .group_by(Campaign.id, Allocation.category).order_by(Campaign.id)).all()
    if not waiting:
        return []
    return [TodayCard("gifts/_today.html", {"waiting": waiting, "labels": labels})]
