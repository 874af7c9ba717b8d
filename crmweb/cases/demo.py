"""Demo data of the case area: an open complaint of a key client, and a question already answered."""

import sqlalchemy as sa
from flask_babel import gettext as _

from crmweb.auth.models import User
from crmweb.cases import services
from crmweb.clients.models import Client
from crmweb.extensions import db


def seed_demo_cases(now) -> str:
    opener = db.session.scalar(sa.select(User).where(User.role == "service").order_by(User.id))
    clients = db.session.scalars(sa.select(Client).order_by(Client.tier.desc(), Client.id).limit(2)).all()
    if opener is None or len(clients) < 2:
        return _("服务工单 0 个")
    services.open_case(
        opener,
        clients[0],
        {
            "kind": "complaint",
            "channel": "phone",
            "severity": "high",
            "cause": "quality",
            "contact_id": None,
            "product": _("空压机"),
            "description": _("设备运行噪音明显变大，客户担心影响生产，要求尽快上门检查。"),
        },
        now,
    )
    question = services.open_case(
        opener,
        clients[1],
        {
            "kind": "question",
            "channel": "email",
            "severity": "normal",
            "cause": None,
            "contact_id": None,
            "product": "",
            "description": _("询问年度保养合同的价格和包含的项目。"),
        },
        now,
    )
    if question.owner is not None:
        services.add_note(question.owner, question, _("已邮件发送保养合同报价单。"), True, "email", now)
    return _("服务工单 %(count)s 个", count=2)
