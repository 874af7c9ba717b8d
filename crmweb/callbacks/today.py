"""The callback area's cards on the "today" page: my calls due and overdue; for supervisors and
managers, the team's by person."""
from datetime import date, datetime

from crmweb.area import TodayCard
from crmweb.auth.models import User
from crmweb.auth.permissions import CALLBACKS_TEAM, CALLBACKS_VIEW, role_can
from crmweb.callbacks import labels, services

LISTED = 8


def today_cards(user: User, now: datetime, today: date) -> list[TodayCard]:
    if not role_can(user.role, CALLBACKS_VIEW):
        return []
    due = services.rows(services.open_callbacks(user.id, today, today, limit=LISTED + 1), today)
    cards = [TodayCard("callbacks/_today.html", {
        "rows": due[:LISTED], "more": len(due) > LISTED, "labels": labels})]
    if role_can(user.role, CALLBACKS_TEAM):
        cards.append(TodayCard("callbacks/_team.html", {"by_person": services.overdue_by_person(now)}))
    return cards
