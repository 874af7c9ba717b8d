"""Demo data of the plan area: one plan in progress for a key client, with its strengthening
table and two tasks, and one draft waiting to be submitted."""

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from crmweb.auth.models import User
from crmweb.clients.models import Client
from crmweb.extensions import db
from crmweb.plans import services
from crmweb.plans.rules import Step
from crmweb.timeutil import local_zone


def _first(role: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.role == role).order_by(User.id))


def seed_demo_plans(now) -> str:
    supervisor, manager, director = _first("supervisor"), _first("manager"), _first("director")
    specialist = _first("specialist") or supervisor
    clients = db.session.scalars(sa.select(Client).order_by(Client.tier.desc(), Client.id).limit(2)).all()
    if not (supervisor and manager and director and clients):
        return _("维护方案 0 个")
    today = now.astimezone(local_zone()).date()
    plan = services.create_plan(
        supervisor,
        {
            "title": _("%(client)s 年度维护方案", client=clients[0].name),
            "client_id": clients[0].id,
            "label_id": None,
            "goals": _("满意度提高到 4.5 分以上，年内续签合同"),
            "methods": "visits,gifts,top_meetings",
            "measures": _("每季度上门拜访一次；中秋赠送定制礼品；安排一次高层会晤"),
            "people": _("客户关系主管、专员"),
            "budget": Decimal("20000"),
            "starts_on": today - timedelta(days=30),
            "ends_on": today + timedelta(days=335),
        },
        now,
    )
    services.add_level(
        supervisor,
        plan,
        {
            "level": "general_manager",
            "person": _("王总"),
            "influence": _("拍板"),
            "competitor_relation": _("与对手老板是同学"),
            "our_person_id": manager.id,
            "measures": _("每半年一次高层会晤"),
            "schedule": _("6 月、12 月"),
            "notes": "",
        },
        now,
    )
    for step, actor in (
        (Step.SUBMIT, supervisor),
        (Step.REVIEW, manager),
        (Step.APPROVE, director),
        (Step.START, supervisor),
    ):
        services.take_step(actor, plan, step, now)
    services.add_task(
        supervisor, plan, _("上门拜访设备部，了解使用情况"), specialist, today + timedelta(days=7), now
    )
    services.add_task(supervisor, plan, _("准备中秋礼品名单"), specialist, today - timedelta(days=2), now)
    if len(clients) > 1:
        services.create_plan(
            supervisor,
            {
                "title": _("%(client)s 挽回方案", client=clients[1].name),
                "client_id": clients[1].id,
                "label_id": None,
                "goals": _("解决投诉，恢复合作"),
                "methods": "visits,hotline",
                "measures": "",
                "people": "",
                "budget": Decimal("5000"),
                "starts_on": today,
                "ends_on": today + timedelta(days=90),
            },
            now,
        )
    return _("维护方案 %(count)s 个", count=len(clients))
