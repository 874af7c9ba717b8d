"""/admin/backups: the last backups, their size and whether their check passed."""

from crmweb.auth.permissions import ADMIN_BACKUPS, require
from crmweb.backups import bp, services
from crmweb.htmx import render


@bp.route("/admin/backups")
@require(ADMIN_BACKUPS)
def index():
    runs = services.recent_runs()
    last_good = next((run for run in runs if run.checked), None)
    return render("backups/index.html", runs=runs, last_good=last_good)
