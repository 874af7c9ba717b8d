"""The "today" page: each area's cards for the person signed in."""
from flask_login import current_user

from crmweb import areas
from crmweb.auth.permissions import DASHBOARD_VIEW, require
from crmweb.auth.sessions import passive
from crmweb.dashboard import bp
from crmweb.dashboard import notices as dashboard_notices
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


@bp.route("/notices")
@require(DASHBOARD_VIEW)
@passive
def notices():
    """Polled by every page: the person's unread notices (a GET that writes nothing)."""
    return render("dashboard/_notices.html", "dashboard/_notices.html",
                  notices=dashboard_notices.unread(current_user.id))


@bp.route("/notices/<int:notice_id>/read", methods=["POST"])
@require(DASHBOARD_VIEW)
def read_notice(notice_id):
    dashboard_notices.mark_read(current_user.id, notice_id, request_now())
    return render("dashboard/_notices.html", "dashboard/_notices.html",
                  notices=dashboard_notices.unread(current_user.id))
