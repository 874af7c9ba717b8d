"""The contract area's card on the "today" page: the owner's contracts with a reminder due (the
client must sign, the renewal notice, the end), and for whoever sees every client how many end
within a month."""

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from crmweb.area import TodayCard
from crmweb.auth.models import User
from crmweb.auth.permissions import CLIENTS_READ_ANY, CONTRACTS_VIEW, role_can
from crmweb.contracts import labels, services
from crmweb.contracts.models import Contract
from crmweb.extensions import db


def today_cards(user: User, now: datetime, today: date) -> list[TodayCard]:
    if not role_can(user.role, CONTRACTS_VIEW):
        return []
    due = services.due_for([user.id], today)
    ending = 0
    if role_can(user.role, CLIENTS_READ_ANY):
        ending = db.session.scalar(
            sa.select(sa.func.count(Contract.id)).where(
                Contract.ends_on >= today, Contract.ends_on <= today + timedelta(days=30)
            )
        )
    if not due and not ending:
        return []
    return [TodayCard("contracts/_today.html", {"due": due, "ending": ending, "reminders": labels.REMINDERS})]
