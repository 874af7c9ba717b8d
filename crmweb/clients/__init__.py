from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("clients", __name__)

from crmweb.area import Area  # noqa: E402
from crmweb.clients import access_routes, import_routes, list_routes, routes  # noqa: E402,F401
from crmweb.clients.commands import clients_cli  # noqa: E402
from crmweb.clients.demo import seed_demo_clients  # noqa: E402
from crmweb.clients.today import today_cards  # noqa: E402

area = Area(bp, commands=(clients_cli,), today_cards=today_cards, seed_demo=seed_demo_clients, menu=(
    ("clients.index", _l("客户档案")), ("clients.access_requests", _l("查阅申请")),
    ("clients.archive_settings", _l("档案设置"))))
