"""Client visits (参观接待): bookings by tier, passes, meeting rooms, the front desk."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("bookings", __name__)

from crmweb.area import Area  # noqa: E402
from crmweb.bookings import reception_routes, rooms_routes, routes  # noqa: E402,F401
from crmweb.bookings.commands import rooms_cli  # noqa: E402
from crmweb.bookings.demo import seed_demo_visits  # noqa: E402
from crmweb.bookings.today import today_cards  # noqa: E402

area = Area(
    bp, commands=(rooms_cli,), today_cards=today_cards, seed_demo=seed_demo_visits,
    menu=(("bookings.index", _l("参观接待")), ("bookings.reception", _l("前台")),
          ("bookings.rooms", _l("会议室"))),
    audit_actions={
        "booking.created": _l("预约参观"), "booking.changed": _l("修改参观"),
        "booking.prepared": _l("保存接待准备"),
        "booking.approved": _l("批准参观、签发通行证"), "booking.cancelled": _l("取消参观"),
        "reception.checked_in": _l("前台签到"), "reception.checked_out": _l("访客离开"),
        "reception.refused": _l("前台拒绝入内"), "reception.walk_in": _l("登记未预约来访"),
        "rooms.added": _l("添加会议室")})
