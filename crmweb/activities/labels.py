"""What users read for the activity codes."""

from flask_babel import lazy_gettext as _l

from crmweb.activities.rules import Kind, Status

KINDS = {
    Kind.GATHERING: _l("客户联谊会"),
    Kind.SEMINAR: _l("研讨会"),
    Kind.ANNUAL_MEETING: _l("年度客户服务会议"),
    Kind.FORUM: _l("论坛"),
    Kind.TRIAL: _l("新品试用"),
}
STATUS = {
    Status.INVITED: _l("已邀请"),
    Status.ACCEPTED: _l("参加"),
    Status.WAITLISTED: _l("候补"),
    Status.DECLINED: _l("不参加"),
}
