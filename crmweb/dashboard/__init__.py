from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("dashboard", __name__)

from crmweb.area import Area  # noqa: E402
from crmweb.dashboard import routes  # noqa: E402,F401

area = Area(bp, menu=(("dashboard.index", _l("今日工作台")),))
