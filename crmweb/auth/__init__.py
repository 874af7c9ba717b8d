from flask import Blueprint

bp = Blueprint("auth", __name__)

from crmweb.area import Area  # noqa: E402
from crmweb.auth import routes  # noqa: E402,F401  (routes register themselves on bp)
from crmweb.auth.commands import users_cli  # noqa: E402

area = Area(bp, commands=(users_cli,))
