"""Backups (档案至少每周备份一次): the database and the uploaded files in one checked file, made
by `flask backup` or the weekly job, restored by `flask restore`; and the database's other upkeep,
the planner's statistics refreshed nightly."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("backups", __name__)

from crmweb.area import Area  # noqa: E402
from crmweb.backups import routes  # noqa: E402,F401
from crmweb.backups.commands import backup_command, restore_command  # noqa: E402
from crmweb.backups.services import weekly_backup  # noqa: E402
from crmweb.database import refresh_statistics  # noqa: E402

area = Area(
    bp,
    commands=(backup_command, restore_command),
    # Sundays at 02:30 Beijing time (Saturday 18:30 UTC); the statistics every night at 03:30.
    periodic=((weekly_backup, "30 18 * * 6"), (refresh_statistics, "30 19 * * *")),
    menu=(("backups.index", _l("备份")),),
    audit_actions={"backups.made": _l("备份")},
)
