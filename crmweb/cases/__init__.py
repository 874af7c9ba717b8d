"""Service cases (服务工单): complaints, repair requests, questions and proposals with deadlines in
working time, escalation, and closure only when the client confirms."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("cases", __name__)

from crmweb.area import Area  # noqa: E402
from crmweb.cases import files, routes, settings  # noqa: E402,F401
from crmweb.cases.commands import cases_cli  # noqa: E402
from crmweb.cases.demo import seed_demo_cases  # noqa: E402
from crmweb.cases.panels import client_panels  # noqa: E402
from crmweb.cases.services import escalate_now  # noqa: E402
from crmweb.cases.today import today_cards  # noqa: E402

area = Area(
    bp,
    commands=(cases_cli,),
    today_cards=today_cards,
    seed_demo=seed_demo_cases,
    client_panels=client_panels,
    # Every five minutes, the deadlines that have passed escalate their cases.
    periodic=((escalate_now, "*/5 * * * *"),),
    menu=(("cases.index", _l("服务工单")), ("cases.new", _l("登记工单"))),
    audit_actions={
        "cases.opened": _l("登记服务工单"),
        "cases.assigned": _l("分派工单"),
        "cases.escalated": _l("工单升级"),
        "cases.resolved": _l("工单处理完毕"),
        "cases.confirmed": _l("客户确认工单"),
        "cases.deadline_saved": _l("保存工单期限"),
        "cases.report_exported": _l("导出工单报表"),
        "cases.to_kb": _l("工单转知识库草稿"),
    },
)
