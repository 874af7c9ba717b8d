"""The activity area's cards: on the "today" page, the activities of today and the next week that the
person is responsible for (or, for who plans them, every one), with their seats taken; on the
front desk, today's activities and who is expected (name, client and tier: nothing of the archive)."""

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from crmweb.activities.models import Activity, Invitation
from crmweb.activities.rules import Status
from crmweb.area import TodayCard
from crmweb.auth.models import User
from crmweb.auth.permissions import ACTIVITIES_MANAGE, ACTIVITIES_VIEW, role_can
from crmweb.bookings.services import day_bounds
from crmweb.extensions import db

AHEAD = timedelta(days=7)


def today_cards(user: User, now: datetime, today: date) -> list[TodayCard]:
    if not role_can(user.role, ACTIVITIES_VIEW):
        return []
    start, _end = day_bounds(today)
    seats = (
        sa.select(sa.func.count(Invitation.id))
        .where(Invitation.activity_id == Activity.id, Invitation.status == Status.ACCEPTED)
        .scalar_subquery()
    )
    query = (
        sa.select(Activity, seats)
        .where(Activity.starts_at >= start, Activity.starts_at < start + AHEAD)
        .order_by(Activity.starts_at)
        .limit(20)
    )
    if not role_can(user.role, ACTIVITIES_MANAGE):
        query = query.where(Activity.organisers.any(User.id == user.id))
    coming = db.session.execute(query).all()
    return [TodayCard("activities/_today.html", {"coming": coming})] if coming else []


def desk_cards(today: date) -> list[TodayCard]:
    start, end = day_bounds(today)
    activities = db.session.scalars(
        sa.select(Activity)
        .where(Activity.starts_at >= start, Activity.starts_at < end)
        .options(selectinload(Activity.invitations).selectinload(Invitation.client))
        .order_by(Activity.starts_at)
    ).all()
    return [TodayCard("activities/_desk.html", {"activities": activities})] if activities else []
