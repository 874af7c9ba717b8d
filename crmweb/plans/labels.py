"""What users read for the plan area's codes."""

from flask_babel import lazy_gettext as _l

from crmweb.plans.rules import Level, Method, PlanStatus, Step, TaskStatus

STATUSES = {
    PlanStatus.DRAFT: _l("草稿"),
    PlanStatus.SUBMITTED: _l("待审核"),
    PlanStatus.REVIEWED: _l("待批准"),
    PlanStatus.RETURNED: _l("已退回"),
    PlanStatus.APPROVED: _l("已批准"),
    PlanStatus.IN_PROGRESS: _l("执行中"),
    PlanStatus.CLOSED: _l("已结束"),
}
STEPS = {
    Step.SUBMIT: _l("提交审核"),
    Step.REVIEW: _l("审核通过"),
    Step.RETURN: _l("退回"),
    Step.APPROVE: _l("批准"),
    Step.START: _l("开始执行"),
    Step.CLOSE: _l("结束并报告"),
}
METHODS = {
    Method.VISITS: _l("拜访"),
    Method.EVENTS: _l("活动"),
    Method.GIFTS: _l("馈赠"),
    Method.TRAININGS: _l("培训"),
    Method.HOTLINE: _l("热线服务"),
    Method.TOP_MEETINGS: _l("高层会晤"),
    Method.BIDS: _l("投标"),
}
LEVELS = {
    Level.GENERAL_MANAGER: _l("总经理"),
    Level.DEPUTY: _l("副总经理"),
    Level.DEPARTMENT_MANAGER: _l("部门经理"),
    Level.DEPARTMENT_SUPERVISOR: _l("部门主管"),
}
TASK_STATUSES = {TaskStatus.OPEN: _l("进行中"), TaskStatus.DONE: _l("已完成")}
# The fields a returned plan's comments stand beside.
COMMENTED_FIELDS = {
    "": _l("总体意见"),
    "goals": _l("维护目标"),
    "methods": _l("维护方式"),
    "measures": _l("具体措施"),
    "people": _l("人员"),
    "budget": _l("预算"),
}
