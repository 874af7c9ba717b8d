"""Messages (短信/邮件): the outbox, its delivery by workers, and (next) templates, sends and
greetings."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("messages", __name__)

from crmweb.area import Area  # noqa: E402
from crmweb.messages import routes  # noqa: E402,F401
from crmweb.messages.jobs import sweep  # noqa: E402

area = Area(
    bp, menu=(("messages.index", _l("短信与邮件")),),
    # Every minute, what waits goes out: also what waited while Redis was down.
    periodic=((sweep, "* * * * *"),),
    audit_actions={"messages.send_created": _l("群发短信/邮件"), "messages.retried": _l("重发失败的消息"),
                   "messages.template_saved": _l("保存消息模板")})
