from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("admin", __name__)

from crmweb.admin import routes  # noqa: E402,F401
from crmweb.area import Area  # noqa: E402

area = Area(bp, url_prefix="/admin", menu=(
    ("admin.users", _l("用户管理")), ("admin.account_requests", _l("账号确认")),
    ("admin.audit_log", _l("审计日志"))))
