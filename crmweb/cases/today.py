"""The case area's cards on the "today" page: my open cases, nearest deadline first (breached and
about to breach stand out); for supervisors and managers, the team's breached and near ones."""

from datetime import date, datetime

from crmweb.area import TodayCard
from crmweb.auth.models import User
from crmweb.auth.permissions import CASES_TEAM, CASES_VIEW, role_can
from crmweb.cases import labels, services

LISTED = 8


def today_cards(user: User, now: datetime, today: date) -> list[TodayCard]:
    if not role_can(user.role, CASES_VIEW):
        return []
    mine = services.rows_for(services.cases_listed(user, False, limit=LISTED), now)
    team = []
    if role_can(user.role, CASES_TEAM):
        team = [
            row
            for row in services.rows_for(services.cases_listed(user, True, limit=200), now)
            if row.breached or row.near or row.case.escalation_level
        ]
    if not mine and not team:
        return []
    return [
        TodayCard(
            "cases/_today.html",
            {"mine": mine, "team": team[:LISTED], "team_count": len(team), "labels": labels},
        )
    ]
