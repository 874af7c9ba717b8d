"""Gifts (客户馈赠): the catalogue and its stock; (next) campaigns, approvals and the ledger."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("gifts", __name__)

from crmweb.area import Area  # noqa: E402
from crmweb.gifts import campaign_routes, routes, settings  # noqa: E402,F401
from crmweb.gifts.ledger import client_panels  # noqa: E402
from crmweb.gifts.today import today_cards  # noqa: E402

area = Area(bp, client_panels=client_panels, today_cards=today_cards,
            menu=(("gifts.index", _l("礼品")), ("gifts.campaign_list", _l("馈赠活动"))),
            audit_actions={"gifts.saved": _l("保存礼品"), "gifts.stock_moved": _l("礼品出入库"),
                           "gifts.campaign_created": _l("新建馈赠活动"),
                           "gifts.allocated": _l("列入馈赠名单"),
                           "gifts.list_submitted": _l("提交馈赠名单"),
                           "gifts.list_approved": _l("批准馈赠名单"),
                           "gifts.list_returned": _l("退回馈赠名单"), "gifts.sent": _l("发放礼品"),
                           "gifts.report_exported": _l("导出馈赠报表"),
                           "gifts.client_year_read": _l("查看客户年度礼品")})
