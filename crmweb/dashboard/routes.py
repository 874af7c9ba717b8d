"""The "today" page: each area's cards for the person signed in."""
from flask import abort
from flask_login import current_user

from crmweb import areas
from crmweb.auth.permissions import DASHBOARD_VIEW, require
from crmweb.auth.sessions import passive
from crmweb.dashboard import bp
from crmweb.dashboard import notices as dashboard_notices
from crmweb.htmx import render
from crmweb.timeutil import local_zone, request_now


def _cards_of(area) -> list:
    now = request_now()
    return area.today_cards(current_user, now, now.astimezone(local_zone()).date())


@bp.route("/")
@require(DASHBOARD_VIEW)
def index():
    """Every area's cards, each area's in its own region that refreshes itself."""
    sections = [(area.blueprint.name, _cards_of(area)) for area in areas.AREAS if area.today_cards]
    return render("dashboard/index.html", today=request_now().astimezone(local_zone()).date(),
                  sections=sections)


@bp.route("/today/<name>")
@require(DASHBOARD_VIEW)
@passive
def area_cards(name):
    """One area's cards alone, as the page polls them (a GET that writes nothing)."""
    area = next((area for area in areas.AREAS if area.today_cards and area.blueprint.name == name), None)
    if area is None:
        abort(404)
    return render("dashboard/_area.html", "dashboard/_area.html", name=name, cards=_cards_of(area))


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
