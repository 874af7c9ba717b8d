"""Client activities (客户联谊会, 研讨会, 年度客户服务会议, 论坛) and new-product trials (新品试用):
invitations with personal reply links, a waiting list, passes checked at the door or the front
desk, costs against the budget, feedback and follow-up calls."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("activities", __name__)

from crmweb.activities import public_routes, routes  # noqa: E402,F401
from crmweb.activities.demo import seed_demo_activities  # noqa: E402
from crmweb.activities.invitations import remind_tomorrow  # noqa: E402
from crmweb.activities.services import admit_at_desk  # noqa: E402
from crmweb.activities.today import desk_cards, today_cards  # noqa: E402
from crmweb.area import Area  # noqa: E402
from crmweb.bookings.services import DESK_CARDS, OTHER_PASSES  # noqa: E402

# The front desk admits an activity's pass like a visit's, and lists today's activities.
OTHER_PASSES.append(admit_at_desk)
DESK_CARDS.append(desk_cards)

area = Area(
    bp,
    today_cards=today_cards,
    seed_demo=seed_demo_activities,
    # Every hour, the day-before reminders (once each, however often it runs).
    periodic=((remind_tomorrow, "15 * * * *"),),
    menu=(("activities.index", _l("客户活动")),),
    audit_actions={
        "activities.saved": _l("保存客户活动"),
        "activities.invited": _l("发出活动邀请"),
        "activities.answered": _l("受邀人答复"),
        "activities.withdrawn": _l("取消参加"),
        "activities.checked_in": _l("活动签到"),
        "activities.cost_added": _l("登记活动费用"),
        "activities.feedback_requested": _l("请参加者反馈"),
        "activities.feedback": _l("活动反馈"),
        "activities.products_sent": _l("寄出试用产品"),
    },
)
