"""What users read for the messages area's codes."""
from flask_babel import lazy_gettext as _l

from crmweb.messages.models import OutboxStatus
from crmweb.messages.rules import Exclusion

EXCLUSIONS = {
    Exclusion.OPTED_OUT: _l("已退订"),
    Exclusion.NO_ADDRESS: _l("没有手机号或邮箱"),
    Exclusion.INVALID_NUMBER: _l("不是有效的手机号"),
    Exclusion.DAILY_CAP: _l("已达每日条数上限"),
}
STATUS = {
    OutboxStatus.QUEUED: _l("排队中"), OutboxStatus.SENDING: _l("发送中"), OutboxStatus.SENT: _l("已发送"),
    OutboxStatus.DELIVERED: _l("已送达"), OutboxStatus.FAILED: _l("失败"), OutboxStatus.SKIPPED: _l("未发送"),
    OutboxStatus.UNKNOWN: _l("状态不明"),
}
CHANNELS = {"sms": _l("短信"), "email": _l("邮件")}
