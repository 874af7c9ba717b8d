from flask_login import current_user

from crmweb.auth.permissions import DASHBOARD_VIEW, require
from crmweb.dashboard import bp, services
from crmweb.htmx import render
from crmweb.timeutil import local_zone, utcnow


@bp.route("/")
@require(DASHBOARD_VIEW)
def index():
    now = utcnow()
    today = now.astimezone(local_zone()).date()
    return render("dashboard/index.html", today=today,
                  work=services.today_for(current_user, now, today))
