"""Contracts on the client's archive: number, amount (confidential), the dates the client must sign
by, starts and ends, the renewal notice period; reminders to the owner; files."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("contracts", __name__)

from crmweb.area import Area  # noqa: E402
from crmweb.contracts import routes  # noqa: E402,F401
from crmweb.contracts.demo import seed_demo_contracts  # noqa: E402
from crmweb.contracts.panels import client_panels  # noqa: E402
from crmweb.contracts.services import send_reminders  # noqa: E402
from crmweb.contracts.today import today_cards  # noqa: E402

area = Area(
    bp,
    today_cards=today_cards,
    client_panels=client_panels,
    seed_demo=seed_demo_contracts,
    # Every morning at 08:05 Beijing time (00:05 UTC), the reminders whose time has come.
    periodic=((send_reminders, "5 0 * * *"),),
    menu=(("contracts.index", _l("合同")),),
    audit_actions={"contracts.saved": _l("保存合同")},
)
