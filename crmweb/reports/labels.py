"""What users read for the evaluation and report codes."""

from flask_babel import lazy_gettext as _l

from crmweb.reports.rules import Advice, Risk, SetStatus, Source

ADVICE = {Advice.MAINTAIN: _l("保持"), Advice.IMPROVE: _l("改善"), Advice.END: _l("终止关系")}
SET_STATUS = {SetStatus.DRAFT: _l("草稿"), SetStatus.APPROVED: _l("使用中"), SetStatus.RETIRED: _l("已停用")}
SOURCES = {
    Source.NONE: _l("（手工打分）"),
    Source.PURCHASES: _l("按近 12 个月购买额建议"),
    Source.SATISFACTION: _l("按回访满意度建议"),
    Source.COMPLAINTS: _l("按投诉次数建议"),
}
RISKS = {
    Risk.NO_PURCHASE: _l("很久没有购买"),
    Risk.NO_CONTACT: _l("很久没有联系"),
    Risk.FALLING: _l("购买额下滑"),
    Risk.UNHAPPY: _l("满意度低"),
    Risk.OPEN_COMPLAINT: _l("有未关闭的投诉"),
}
