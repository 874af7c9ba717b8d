"""Messages (短信/邮件): the outbox, its delivery by workers, and (next) templates, sends and
greetings."""
from flask import Blueprint

bp = Blueprint("messages", __name__)

from crmweb.area import Area  # noqa: E402
from crmweb.messages.outbox import sweep  # noqa: E402

# Every minute, what waits goes out: also what waited while Redis was down.
area = Area(bp, periodic=((sweep, "* * * * *"),))
