"""What users read for the contract codes."""

from flask_babel import lazy_gettext as _l

from crmweb.contracts.rules import Reminder, State

STATES = {
    State.UNSIGNED: _l("待签订"),
    State.PENDING: _l("未开始"),
    State.ACTIVE: _l("执行中"),
    State.ENDED: _l("已到期"),
}
REMINDERS = {
    Reminder.SIGNING: _l("提醒客户签约"),
    Reminder.RENEWAL: _l("续约通知期"),
    Reminder.EXPIRY: _l("即将到期"),
}
