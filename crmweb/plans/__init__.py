"""Maintenance plans (客户关系维护方案): drafted by a supervisor, reviewed by the manager, approved
by the director, carried out as tasks with weekly progress, closed with a report."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("plans", __name__)

from crmweb.area import Area  # noqa: E402
from crmweb.plans import routes  # noqa: E402,F401
from crmweb.plans.demo import seed_demo_plans  # noqa: E402
from crmweb.plans.today import today_cards  # noqa: E402

area = Area(
    bp,
    today_cards=today_cards,
    seed_demo=seed_demo_plans,
    menu=(("plans.index", _l("维护方案")),),
    audit_actions={
        "plans.created": _l("起草维护方案"),
        "plans.changed": _l("修改维护方案"),
        "plans.submit": _l("提交维护方案"),
        "plans.review": _l("审核维护方案"),
        "plans.return": _l("退回维护方案"),
        "plans.approve": _l("批准维护方案"),
        "plans.start": _l("开始执行维护方案"),
        "plans.close": _l("结束维护方案"),
        "plans.task_added": _l("分解维护任务"),
        "plans.task_done": _l("完成维护任务"),
    },
)
