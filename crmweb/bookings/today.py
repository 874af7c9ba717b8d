"""The visit area's card on the "today" page: the visits of today the person hosts, or for the
front desk and approvers, every visit of today and what waits for approval."""
from datetime import date, datetime

import sqlalchemy as sa

from crmweb.area import TodayCard
from crmweb.auth.models import User
from crmweb.auth.permissions import BOOKINGS_VIEW, RECEPTION_DESK, role_can
from crmweb.bookings import services
from crmweb.bookings.models import Booking
from crmweb.bookings.rules import VisitStatus
from crmweb.extensions import db


def today_cards(user: User, now: datetime, today: date) -> list[TodayCard]:
    if not role_can(user.role, BOOKINGS_VIEW):
        return []
    start, end = services.day_bounds(today)
    visits = services.visits_between(start, end)
    if not role_can(user.role, RECEPTION_DESK):
        visits = [visit for visit in visits if user.id in (visit.host_id, visit.guide_id)]
    waiting = 0
    if services.may_approve(user):
        waiting = db.session.scalar(sa.select(sa.func.count(Booking.id)).where(
            Booking.status == VisitStatus.REQUESTED, Booking.starts_at >= now))
    if not visits and not waiting:
        return []
    return [TodayCard("bookings/_today.html", {"visits": visits, "waiting": waiting})]
