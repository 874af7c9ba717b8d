"""What users read for the case area's codes."""

from flask_babel import lazy_gettext as _l

from crmweb.cases.rules import Cause, Deadline, Kind, Severity, Status, Unit

KINDS = {
    Kind.COMPLAINT: _l("投诉"),
    Kind.REPAIR: _l("报修"),
    Kind.QUESTION: _l("咨询"),
    Kind.PROPOSAL: _l("提案"),
}
SEVERITIES = {Severity.NORMAL: _l("一般"), Severity.HIGH: _l("较重"), Severity.URGENT: _l("紧急")}
CAUSES = {
    Cause.QUALITY: _l("产品质量"),
    Cause.DELIVERY: _l("交货"),
    Cause.INSTALLATION: _l("安装"),
    Cause.ATTITUDE: _l("服务态度"),
    Cause.PRICE: _l("价格"),
    Cause.BILLING: _l("账单"),
    Cause.OTHER: _l("其他"),
}
STATUSES = {
    Status.OPEN: _l("处理中"),
    Status.WAITING: _l("等待客户"),
    Status.RESOLVED: _l("待客户确认"),
    Status.CLOSED: _l("已关闭"),
}
UNITS = {Unit.HOURS: _l("工作小时"), Unit.DAYS: _l("工作日")}
BREACHES = {Deadline.RESPONSE: _l("首次响应超时"), Deadline.RESOLUTION: _l("解决超时")}
LEVELS = {0: _l("负责人"), 1: _l("已升级至主管"), 2: _l("已升级至经理")}
ENTRIES = {
    "opened": _l("登记"),
    "note": _l("内部备注"),
    "message": _l("回复客户"),
    "assigned": _l("分派"),
    "escalated": _l("升级"),
    "waiting": _l("等待客户"),
    "resumed": _l("客户已回复"),
    "resolved": _l("处理完毕"),
    "reopened": _l("重新打开"),
    "closed": _l("关闭"),
}
