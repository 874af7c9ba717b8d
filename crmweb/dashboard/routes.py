"""The "today" page: each area's cards for the person signed in."""
from flask_login import current_user

from crmweb import areas
from crmweb.auth.permissions import DASHBOARD_VIEW, require
from crmweb.dashboard import bp
from crmweb.htmx import render
from crmweb.timeutil import local_zone, request_now


@bp.route("/")
@require(DASHBOARD_VIEW)
def index():
    now = request_now()
    today = now.astimezone(local_zone()).date()
    cards = [card for area in areas.AREAS if area.today_cards
             for card in area.today_cards(current_user, now, today)]
    return render("dashboard/index.html", today=today, cards=cards)
