"""Telling one person something as it happens: a notice every page they have open picks up
(polled by htmx); the messages area adds SMS and email."""
from datetime import datetime

import sqlalchemy as sa

from crmweb.dashboard.models import Notice
from crmweb.extensions import db

SHOWN = 5


def notify(user_id: int, text: str, link: str, now: datetime) -> None:
    """A notice for `user_id`, written with the caller's change (the caller commits)."""
    db.session.add(Notice(user_id=user_id, text=text[:300], link=link[:200], created_at=now))


def unread(user_id: int) -> list[Notice]:
    return db.session.scalars(sa.select(Notice).where(Notice.user_id == user_id, Notice.read_at.is_(None))
                              .order_by(Notice.created_at.desc(), Notice.id.desc()).limit(SHOWN)).all()


def mark_read(user_id: int, notice_id: int, now: datetime) -> None:
    """Only one's own notices: another person's id changes nothing."""
    db.session.execute(sa.update(Notice).where(Notice.id == notice_id, Notice.user_id == user_id,
                                               Notice.read_at.is_(None)).values(read_at=now))
    db.session.commit()
