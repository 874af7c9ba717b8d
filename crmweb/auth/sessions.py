"""Server-side sessions: the cookie carries a random token; the row decides whether it is valid.

Flask's signed cookie alone stays valid until it expires; keeping the session here is what lets
logout, disabling a user and the idle/absolute timeouts take effect at once, in every process.
"""
from datetime import datetime, timedelta

import sqlalchemy as sa

from crmweb.auth.models import User, UserSession
from crmweb.auth.rules import session_expired
from crmweb.database import side_write
from crmweb.extensions import db
from crmweb.tokens import new_token, token_hash

# Writing last_seen_at on every request would make each page a write; a minute is precise enough
# for a 30-minute idle timeout.
ACTIVITY_RESOLUTION = timedelta(minutes=1)



def start_session(user: User, now: datetime, ip: str | None, user_agent: str | None) -> str:
    """Create a session row in the caller's transaction and return the token for the cookie."""
    token = new_token()
    db.session.add(UserSession(token_hash=token_hash(token), user_id=user.id, created_at=now,
                               last_seen_at=now, ip=ip, user_agent=(user_agent or "")[:255]))
    return token


def passive(view):
    """Marks a view that pages call by themselves (polling for notices): it does not count as the
    person's activity, so an open page left alone still ends its session on the idle timeout."""
    view.passive = True
    return view


def user_for_token(token: str, now: datetime, idle_timeout: timedelta,
                   absolute_timeout: timedelta, active: bool = True) -> User | None:
    """The active user of a live session, noting activity (unless not `active`); None when it
    ended or expired."""
    row = db.session.execute(
        sa.select(UserSession, User).join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == token_hash(token), UserSession.ended_at.is_(None))
    ).first()
    if row is None:
        return None
    user_session, user = row
    if not user.active:
        return None
    if session_expired(user_session.created_at, user_session.last_seen_at, now,
                       idle_timeout, absolute_timeout):
        _end_where(UserSession.id == user_session.id, now, "expired")
        return None
    if active and now - user_session.last_seen_at >= ACTIVITY_RESOLUTION:
        with side_write() as session:
            session.execute(sa.update(UserSession).where(UserSession.id == user_session.id)
                            .values(last_seen_at=now))
    return user


def end_session(token: str, now: datetime, reason: str) -> None:
    _end_where(UserSession.token_hash == token_hash(token), now, reason)


def end_all_sessions(user_id: int, now: datetime, reason: str) -> None:
    _end_where(UserSession.user_id == user_id, now, reason)


def _end_where(condition, now: datetime, reason: str) -> None:
    with side_write() as session:
        session.execute(sa.update(UserSession)
                        .where(condition, UserSession.ended_at.is_(None))
                        .values(ended_at=now, end_reason=reason))


def end_other_sessions(user_id: int, keep_token: str | None, now: datetime, reason: str) -> None:
    keep = token_hash(keep_token) if keep_token else ""
    _end_where(sa.and_(UserSession.user_id == user_id, UserSession.token_hash != keep), now, reason)
