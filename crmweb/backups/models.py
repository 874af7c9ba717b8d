"""A record of each backup made: where, how big, whether its check passed."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from crmweb.extensions import db
from crmweb.timeutil import UTCDateTime


class BackupRun(db.Model):
    __tablename__ = "backup_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(sa.String(500))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime())
    size: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    tables: Mapped[int] = mapped_column(default=0)
    files: Mapped[int] = mapped_column(default=0)
    checked: Mapped[bool] = mapped_column(default=False)  # the copy read back whole
    error: Mapped[str] = mapped_column(sa.String(500), default="")
