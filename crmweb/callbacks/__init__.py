"""Callbacks (回访): calls made by the rules table after events, by follow-up dates and by
campaigns; each made with its script and left on the client's timeline."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("callbacks", __name__)

from crmweb.area import Area  # noqa: E402
from crmweb.callbacks import routes, settings  # noqa: E402,F401
from crmweb.callbacks.demo import seed_demo_callbacks  # noqa: E402
from crmweb.callbacks.today import today_cards  # noqa: E402

area = Area(
    bp, today_cards=today_cards, seed_demo=seed_demo_callbacks,
    menu=(("callbacks.index", _l("回访")), ("callbacks.campaign_list", _l("回访活动")),
          ("callbacks.rules_page", _l("回访规则"))),
    audit_actions={"callbacks.recorded": _l("记录回访"), "callbacks.rescheduled": _l("回访改期"),
                   "callbacks.reassigned": _l("转交回访"), "callbacks.rule_saved": _l("保存回访规则"),
                   "callbacks.campaign_started": _l("发起回访活动")})
