"""Demo data of the contract area: a maintenance contract coming up for renewal, one the client
has yet to sign, and a supply contract running for the year (each reminder has something to show)."""
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from crmweb.clients.models import Client
from crmweb.contracts import services
from crmweb.extensions import db
from crmweb.timeutil import local_zone


def seed_demo_contracts(now) -> str:
    clients = db.session.scalars(sa.select(Client).where(Client.owner_id.is_not(None))
                                 .order_by(Client.tier.desc(), Client.id).limit(3)).all()
    today = now.astimezone(local_zone()).date()
    year = today.year
    contracts = [
        {"number": f"HT-{year}-0001", "title": _("设备年度维保合同"), "amount": Decimal("86000.00"),
         "signing_due_on": None, "signed_on": today - timedelta(days=345),
         "starts_on": today - timedelta(days=340), "ends_on": today + timedelta(days=25),
         "renewal_notice_days": 30, "notes": _("到期前一个月与客户商谈续签。")},
        {"number": f"HT-{year}-0002", "title": _("生产线改造项目合同"), "amount": Decimal("420000.00"),
         "signing_due_on": today + timedelta(days=3), "signed_on": None,
         "starts_on": today + timedelta(days=10), "ends_on": today + timedelta(days=190),
         "renewal_notice_days": 30, "notes": _("客户法务正在审阅，约定本周内签回。")},
        {"number": f"HT-{year}-0003", "title": _("配件年度供货合同"), "amount": Decimal("150000.00"),
         "signing_due_on": None, "signed_on": today - timedelta(days=40),
         "starts_on": today - timedelta(days=30), "ends_on": today + timedelta(days=335),
         "renewal_notice_days": 60, "notes": ""},
    ]
    for client, values in zip(clients, contracts, strict=False):
        services.save_contract(client.owner, client, None, values, now)
    return _("合同 %(count)s 份", count=min(len(clients), len(contracts)))
