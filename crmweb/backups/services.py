"""Backups as the operator and the weekly job make them: written, checked, recorded (the admin
page shows the last ones), and the oldest removed beyond the number kept."""

from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from crmweb.auth.audit import record_audit
from crmweb.backups import archive
from crmweb.backups.models import BackupRun
from crmweb.extensions import db
from crmweb.timeutil import local_zone, utcnow


def back_up(destination: Path, now: datetime | None = None) -> BackupRun:
    """One backup to `destination`, recorded whether it worked or not."""
    started = now or utcnow()
    run = BackupRun(path=str(destination)[:500], started_at=started, size=0, tables=0, files=0, error="")
    try:
        manifest = archive.make_backup(destination)
    except archive.BackupError as failed:
        run.error, run.checked = str(failed)[:500], False
    else:
        run.size, run.tables, run.files = (
            archive.backup_size(destination),
            len(manifest.tables),
            len(manifest.files),
        )
        run.checked = True
    run.finished_at = utcnow()
    db.session.add(run)
    record_audit(
        "backups.made",
        target_type="backup",
        target_id=Path(run.path).name[:64],
        now=run.finished_at,
        detail=f"checked={run.checked} size={run.size} {run.error[:200]}",
    )
    db.session.commit()
    return run


def weekly_backup(now: datetime | None = None) -> BackupRun:
    """The periodic job: into BACKUP_DIR, named by its time, keeping the newest BACKUP_KEEP."""
    now = now or utcnow()
    directory = archive.default_directory()
    name = f"crmweb-{now.astimezone(local_zone()):%Y%m%d-%H%M%S}.tar"
    run = back_up(directory / name, now)
    if run.checked:
        archive.keep_newest(directory, current_app.config["BACKUP_KEEP"])
    return run


def recent_runs(limit: int = 20) -> list[BackupRun]:
    return db.session.scalars(
        sa.select(BackupRun).order_by(BackupRun.started_at.desc(), BackupRun.id.desc()).limit(limit)
    ).all()
