"""Messages (短信/邮件): the outbox, its delivery by workers, and (next) templates, sends and
greetings."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("messages", __name__)

from crmweb.area import Area  # noqa: E402
from crmweb.messages import routes  # noqa: E402,F401
from crmweb.messages.commands import greetings_cli, messages_cli  # noqa: E402
from crmweb.messages.greetings import run_today  # noqa: E402
from crmweb.messages.jobs import sweep  # noqa: E402
from crmweb.messages.optout import client_panels  # noqa: E402

area = Area(
    bp, menu=(("messages.index", _l("短信与邮件")), ("messages.setup_page", _l("消息设置"))),
    client_panels=client_panels,
    commands=(greetings_cli, messages_cli),
    # Every minute, what waits goes out (also what waited while Redis was down); just after
    # midnight in Shanghai (16:05 UTC), the day's greetings.
    periodic=((sweep, "* * * * *"), (run_today, "5 16 * * *")),
    audit_actions={"messages.send_created": _l("群发短信/邮件"), "messages.retried": _l("重发失败的消息"),
                   "messages.template_saved": _l("保存消息模板"), "messages.test_sent": _l("发送测试消息"),
                   "messages.greeting_saved": _l("保存问候规则"), "messages.opted_out": _l("联系人退订"),
                   "messages.opted_in": _l("联系人恢复接收")})
