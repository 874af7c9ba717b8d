"""The case area's card on a client's page: its open cases, and a button to open one."""

from crmweb.area import TodayCard
from crmweb.auth.permissions import CASES_OPEN, role_can
from crmweb.cases import labels, services
from crmweb.clients import access
from crmweb.timeutil import request_now


def client_panels(actor, client, may_read: bool) -> list[TodayCard]:
    """For those who see the client's archive (its cases are part of it)."""
    if not role_can(actor.role, CASES_OPEN) or not access.can_see_archive(actor, client, request_now()):
        return []
    return [
        TodayCard(
            "cases/_client_panel.html",
            {"client": client, "cases": services.open_for_client(client.id), "labels": labels},
        )
    ]
