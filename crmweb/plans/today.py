"""The plan area's cards on the "today" page: my open tasks; plans waiting for my review or
approval; for supervisors, overdue tasks by person and who has not reported this week."""

from datetime import date, datetime

from crmweb.area import TodayCard
from crmweb.auth.models import User
from crmweb.auth.permissions import PLANS_DRAFT, PLANS_VIEW, role_can
from crmweb.plans import labels, rules, services


def today_cards(user: User, now: datetime, today: date) -> list[TodayCard]:
    if not role_can(user.role, PLANS_VIEW):
        return []
    context = {
        "tasks": services.my_tasks(user.id),
        "waiting": services.waiting_for(user),
        "today": today,
        "rules": rules,
        "labels": labels,
        "team": role_can(user.role, PLANS_DRAFT),
    }
    if context["team"]:
        context["overdue"] = services.overdue_tasks_by_person(today)
        context["missing"] = services.missing_reports(today)
    if not (context["tasks"] or context["waiting"] or context.get("overdue") or context.get("missing")):
        return []
    return [TodayCard("plans/_today.html", context)]
