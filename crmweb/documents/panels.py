"""The files card on a client's page, for who sees its archive."""

from crmweb.area import TodayCard
from crmweb.auth.permissions import DOCUMENTS_USE, role_can
from crmweb.clients import access
from crmweb.documents import services
from crmweb.timeutil import request_now


def client_panels(actor, client, may_read: bool) -> list[TodayCard]:
    now = request_now()
    if not role_can(actor.role, DOCUMENTS_USE) or not access.can_see_archive(actor, client, now):
        return []
    return [TodayCard("documents/_files.html", {"files": services.files_of(actor, "client", client.id, now)})]
