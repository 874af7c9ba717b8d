from crmweb.auth.permissions import DASHBOARD_VIEW, require
from crmweb.dashboard import bp
from crmweb.htmx import render


@bp.route("/")
@require(DASHBOARD_VIEW)
def index():
    return render("dashboard/index.html")
