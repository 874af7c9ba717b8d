"""Use cases of people and sign-in: take the actor and `now`, check the rules, persist."""
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from crmweb.auth import sessions
from crmweb.auth.audit import record_audit
from crmweb.auth.models import AuditEvent, User
from crmweb.auth.passwords import hash_password, needs_rehash, verify_password
from crmweb.auth.permissions import ROLES
from crmweb.auth.rules import login_blocked_until
from crmweb.errors import DomainError
from crmweb.extensions import db

# Compared against when the username is unknown, so that a wrong username costs the same time.
_UNKNOWN_USER_HASH = None


class LoginRefused(DomainError):
    status_code = 429


class WrongCredentials(DomainError):
    status_code = 401


def normalise_username(username: str) -> str:
    return username.strip().lower()


def authenticate(username: str, password: str, ip: str | None, now: datetime) -> User:
    """Check a login attempt; record it; raise LoginRefused or WrongCredentials, or return the user.

    Failures are counted per account and address: an attacker elsewhere cannot lock a user out.
    """
    global _UNKNOWN_USER_HASH
    username = normalise_username(username)
    config = current_app.config
    window = config["LOGIN_FAILURE_WINDOW"]
    failures = db.session.scalars(
        sa.select(AuditEvent.at).where(AuditEvent.action == "login.failed",
                                       AuditEvent.target_id == username, AuditEvent.ip == ip,
                                       AuditEvent.at > now - window)
    ).all()
    blocked_until = login_blocked_until(failures, now, config["LOGIN_MAX_FAILURES"], window)
    if blocked_until is not None:
        record_audit("login.throttled", target_type="user", target_id=username, now=now)
        db.session.commit()
        minutes = max(1, int((blocked_until - now).total_seconds() // 60) + 1)
        raise LoginRefused(_("登录失败次数过多，请 %(minutes)s 分钟后再试。", minutes=minutes))

    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        if _UNKNOWN_USER_HASH is None:
            _UNKNOWN_USER_HASH = hash_password(secrets.token_hex(16))
        verify_password(_UNKNOWN_USER_HASH, password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password)
    if not ok or not user.active:
        reason = "disabled" if ok else None
        record_audit("login.failed", target_type="user", target_id=username, detail=reason,
                     actor=None, now=now)
        db.session.commit()
        raise WrongCredentials(_("用户名或密码错误，或账号已停用。"))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    return user


def sign_in(user: User, ip: str | None, user_agent: str | None, now: datetime) -> str:
    """Open a new server-side session and record the login; returns the session token."""
    token = sessions.start_session(user, now, ip, user_agent)
    record_audit("login", target_type="user", target_id=user.username, actor=user, now=now)
    db.session.commit()
    return token


def sign_out(user: User, token: str | None, now: datetime) -> None:
    if token:
        sessions.end_session(token, now, "logout")
    record_audit("logout", target_type="user", target_id=user.username, actor=user, now=now)
    db.session.commit()


def create_user(actor: User, username: str, display_name: str, role: str, password: str,
                now: datetime) -> User:
    username = normalise_username(username)
    if role not in ROLES:
        raise DomainError(_("未知角色。"))
    if db.session.scalar(sa.select(User.id).where(User.username == username)):
        raise DomainError(_("用户名 %(username)s 已存在。", username=username))
    user = User(username=username, display_name=display_name.strip(), role=role,
                password_hash=hash_password(password), active=True, created_at=now,
                must_change_password=actor is not None)
    db.session.add(user)
    db.session.flush()
    record_audit("user.created", target_type="user", target_id=user.username,
                 detail=f"role={role}", actor=actor, now=now)
    db.session.commit()
    return user


def set_user_active(actor: User, user: User, active: bool, now: datetime) -> None:
    """Enable or disable an account; disabling ends all its sessions at once."""
    if user.id == actor.id and not active:
        raise DomainError(_("不能停用自己的账号。"))
    user.active = active
    if not active:
        sessions.end_all_sessions(user.id, now, "disabled")
    record_audit("user.enabled" if active else "user.disabled", target_type="user",
                 target_id=user.username, actor=actor, now=now)
    db.session.commit()


def change_role(actor: User, user: User, role: str, now: datetime) -> None:
    if role not in ROLES:
        raise DomainError(_("未知角色。"))
    if user.id == actor.id:
        raise DomainError(_("不能修改自己的角色。"))
    old_role, user.role = user.role, role
    sessions.end_all_sessions(user.id, now, "role_changed")
    record_audit("user.role_changed", target_type="user", target_id=user.username,
                 detail=f"{old_role}->{role}", actor=actor, now=now)
    db.session.commit()


def reset_password(actor: User, user: User, now: datetime) -> str:
    """Give the user a one-time password to change at next login; returns it to show once."""
    temporary = secrets.token_urlsafe(9)
    user.password_hash = hash_password(temporary)
    user.must_change_password = True
    sessions.end_all_sessions(user.id, now, "password_reset")
    record_audit("user.password_reset", target_type="user", target_id=user.username,
                 actor=actor, now=now)
    db.session.commit()
    return temporary


def change_own_password(user: User, current_password: str, new_password: str,
                        current_token: str | None, now: datetime) -> None:
    """Change one's own password; other sessions of the user end, this one goes on."""
    if not verify_password(user.password_hash, current_password):
        raise WrongCredentials(_("当前密码不正确。"))
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    sessions.end_other_sessions(user.id, current_token, now, "password_changed")
    record_audit("user.password_changed", target_type="user", target_id=user.username,
                 actor=user, now=now)
    db.session.commit()
