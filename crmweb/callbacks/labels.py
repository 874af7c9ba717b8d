"""What users read for the callback area's codes, and what they say on the phone."""
from flask_babel import lazy_gettext as _l

from crmweb.callbacks.rules import ContentType, Method, Outcome, Source, Status, Timing, Unit

CONTENT_TYPES = {ContentType.EXPLAIN: _l("解释"), ContentType.PROMOTE: _l("宣传"),
                 ContentType.RAPPORT: _l("情感"), ContentType.MEDIATE: _l("调解"),
                 ContentType.ADVISE: _l("建议"), ContentType.GUIDE: _l("指导")}
STATUSES = {Status.OPEN: _l("待回访"), Status.DONE: _l("已完成"), Status.UNREACHED: _l("未能联系上"),
            Status.CANCELLED: _l("已取消")}
SOURCES = {Source.EVENT: _l("事件"), Source.FOLLOW_UP: _l("跟进"), Source.CAMPAIGN: _l("回访活动"),
           Source.CASE: _l("工单确认")}
OUTCOMES = {Outcome.REACHED: _l("已联系上"), Outcome.NO_ANSWER: _l("无人接听"),
            Outcome.CALL_BACK: _l("客户约定改时间")}
UNITS = {Unit.DAYS: _l("天"), Unit.MONTHS: _l("个月")}
TIMINGS = {Timing.UPCOMING: _l("未到期"), Timing.DUE: _l("到期"), Timing.OVERDUE: _l("已逾期")}
METHODS = {Method.RANDOM: _l("随机抽取"), Method.LOW_SATISFACTION: _l("满意度低"),
           Method.SERVICE_NEEDED: _l("需要服务"), Method.RARELY_CONTACTED: _l("很少联系")}

# The company's phone etiquette: every call opens the same way.
GREETING = _l("您好！我是%(company)s客户服务部的%(me)s。请问是%(salutation)s吗？耽误您几分钟时间，"
              "想了解一下您的使用情况，现在方便吗？")
# What the call is for, as the specialist says it (回访内容).
SCRIPTS = {
    ContentType.EXPLAIN: _l("说明产品和服务的情况，解答客户的疑问；不清楚的地方耐心解释，必要时约定上门。"),
    ContentType.PROMOTE: _l("介绍公司的新产品、新服务和优惠活动，了解客户是否有兴趣，有兴趣的记下需求。"),
    ContentType.RAPPORT: _l("问候客户，感谢客户的支持，听取客户的感受和意见，增进感情。"),
    ContentType.MEDIATE: _l("先致歉，再请客户说明问题；不争辩，记下事实和客户的要求，说明处理办法和时间。"),
    ContentType.ADVISE: _l("根据客户的使用情况给出建议（保养、升级、节约使用成本），听取客户对我们的建议。"),
    ContentType.GUIDE: _l("了解客户是否会用、用得是否顺手，指导正确的使用和保养方法。"),
}
