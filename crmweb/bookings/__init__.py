"""Client visits (参观接待): bookings by tier, passes, meeting rooms, the front desk."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("bookings", __name__)

from crmweb.area import Area  # noqa: E402
from crmweb.bookings import reception_routes, rooms_routes, routes  # noqa: E402,F401
from crmweb.bookings.commands import rooms_cli  # noqa: E402

area = Area(bp, commands=(rooms_cli,), menu=(
    ("bookings.index", _l("参观接待")), ("bookings.reception", _l("前台")), ("bookings.rooms", _l("会议室"))))
