"""The evaluation card on a client's page: a way to the evaluations, for who may read them (the
grades themselves stay on their page, where each read is audited)."""

from crmweb.area import TodayCard
from crmweb.reports import evaluations
from crmweb.timeutil import request_now


def client_panels(actor, client, may_read: bool) -> list[TodayCard]:
    if not evaluations.may_read(actor, client, request_now()):
        return []
    return [TodayCard("reports/_client_panel.html", {"client": client})]
