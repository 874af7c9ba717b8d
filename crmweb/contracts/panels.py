"""The contracts card on a client's page, and who may see and add to a contract's files."""

from crmweb.area import TodayCard
from crmweb.clients import access
from crmweb.contracts import labels, rules, services
from crmweb.contracts.models import Contract
from crmweb.documents.services import Owner, register_owner
from crmweb.extensions import db
from crmweb.timeutil import local_zone, request_now


def client_panels(actor, client, may_read: bool) -> list[TodayCard]:
    """For who sees the client's archive: its contracts by their dates (the amounts are on each
    contract's page, for who reads the dealings)."""
    now = request_now()
    if not access.can_see_archive(actor, client, now):
        return []
    today = now.astimezone(local_zone()).date()
    contracts = services.contracts_of(client)
    return [
        TodayCard(
            "contracts/_client_panel.html",
            {
                "client": client,
                "rows": [(contract, rules.state(contract.dates, today)) for contract in contracts],
                "may_edit": access.can_edit(actor, client),
                "states": labels.STATES,
            },
        )
    ]


# A contract's files are confidential like its amount: read and added by who reads the dealings.
register_owner(
    "contract",
    Owner(
        load=lambda contract_id: db.session.get(Contract, contract_id),
        client_of=lambda contract: contract.client,
        may_read=lambda actor, contract, now: access.can_read_confidential(actor, contract.client, now),
        may_write=lambda actor, contract, now: (
            access.can_edit(actor, contract.client)
            and access.can_read_confidential(actor, contract.client, now)
        ),
        always_confidential=True,
    ),
)
