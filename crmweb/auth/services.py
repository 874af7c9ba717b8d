"""Use cases of people and sign-in: take the actor and `now`, check the rules, persist."""
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from crmweb.auth import sessions
from crmweb.auth.audit import record_audit
from crmweb.auth.models import AccountRequest, AuditEvent, PasswordLink, User
from crmweb.auth.passwords import hash_password, needs_rehash, verify_password
from crmweb.auth.permissions import ARCHIVE_READ_ANY, ROLES, USERS_CONFIRM, role_can
from crmweb.auth.rules import login_blocked_until
from crmweb.clients.rules import normalise_phone
from crmweb.errors import Conflict, DomainError, NotAllowed, NotFound
from crmweb.extensions import db
from crmweb.tokens import new_token, token_hash

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


def create_user(actor: User | None, username: str, display_name: str, role: str, password: str | None,
                now: datetime, active: bool = True) -> User:
    """An account; without a password, one nobody knows until the person sets theirs by link."""
    username = normalise_username(username)
    if role not in ROLES:
        raise Conflict(_("未知角色。"))
    if db.session.scalar(sa.select(User.id).where(User.username == username)):
        raise Conflict(_("用户名 %(username)s 已存在。", username=username))
    user = User(username=username, display_name=display_name.strip(), role=role,
                password_hash=hash_password(password or secrets.token_urlsafe(32)), active=active,
                created_at=now, must_change_password=False)
    db.session.add(user)
    db.session.flush()
    record_audit("user.created", target_type="user", target_id=user.username,
                 detail=f"role={role} active={active}", actor=actor, now=now)
    db.session.commit()
    return user


# --- separation of duties: what gives archive-wide rights needs a director ------------------------

def gives_archive_rights(role: str) -> bool:
    """Roles that read every confidential archive: an administrator alone may not make one."""
    return role_can(role, ARCHIVE_READ_ANY)


def create_account(actor: User, username: str, display_name: str, role: str,
                   now: datetime) -> tuple[User, str | None]:
    """An administrator's new account, with no password the administrator knows: returns it and
    the one-time link to hand over, or no link when a director must confirm the account first."""
    waits = gives_archive_rights(role)
    user = create_user(actor, username, display_name, role, None, now, active=not waits)
    if waits:
        _ask_director(actor, user, "create", role, now)
        link = None
    else:
        link = issue_password_link(actor, user, now)
    db.session.commit()
    return user, link


def _ask_director(actor: User, user: User, kind: str, role: str, now: datetime) -> None:
    if db.session.scalar(sa.select(AccountRequest.id).where(
            AccountRequest.user_id == user.id, AccountRequest.status == "pending")):
        raise Conflict(_("该账号已有等待总经理确认的变更。"))
    request = AccountRequest(user_id=user.id, kind=kind, role=role, status="pending",
                             requested_by_id=actor.id, requested_at=now)
    db.session.add(request)
    db.session.flush()
    record_audit("user.confirmation_requested", target_type="user", target_id=user.username,
                 detail=f"request={request.id} kind={kind} role={role}", actor=actor, now=now)


def issue_password_link(actor: User | None, user: User, now: datetime) -> str:
    """A new one-time link for `user` to set a password (earlier unused ones stop working)."""
    db.session.execute(sa.update(PasswordLink).where(
        PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None), PasswordLink.expires_at > now)
        .values(expires_at=now))
    token = new_token()
    db.session.add(PasswordLink(user_id=user.id, token_hash=token_hash(token),
                                issued_by_id=actor.id if actor else None, created_at=now,
                                expires_at=now + current_app.config["PASSWORD_LINK_LIFETIME"]))
    record_audit("user.password_link_issued", target_type="user", target_id=user.username,
                 actor=actor, now=now)
    return token



def _forget_password(user: User, now: datetime, reason: str) -> None:
    """Nobody can sign in with the old password any more, and every session ends."""
    user.password_hash = hash_password(secrets.token_urlsafe(32))
    user.must_change_password = False
    sessions.end_all_sessions(user.id, now, reason)


def pending_account_requests() -> list[AccountRequest]:
    return db.session.scalars(
        sa.select(AccountRequest).where(AccountRequest.status == "pending")
        .options(selectinload(AccountRequest.user), selectinload(AccountRequest.requested_by))
        .order_by(AccountRequest.requested_at)).all()


def pending_request_for(user_ids) -> dict[int, AccountRequest]:
    rows = db.session.scalars(sa.select(AccountRequest).where(
        AccountRequest.user_id.in_(list(user_ids)), AccountRequest.status == "pending")).all()
    return {row.user_id: row for row in rows}


def decide_account_request(actor: User, request: AccountRequest, approve: bool,
                           now: datetime) -> str | None:
    """A director confirms (or refuses) an administrator's change; on confirmation the account
    gets a new one-time link, returned for the director to hand to the person."""
    if not role_can(actor.role, USERS_CONFIRM):
        raise NotAllowed(_("只有总经理可以确认此类账号变更。"))
    if request.status != "pending":
        raise Conflict(_("该申请已处理。"))
    if actor.id in (request.requested_by_id, request.user_id):
        raise NotAllowed(_("不能确认自己提出的、或与自己账号有关的变更。"))
    user = request.user
    request.status = "confirmed" if approve else "refused"
    request.decided_by_id, request.decided_at = actor.id, now
    link = None
    if approve:
        if request.kind == "create":
            user.active = True
        elif request.kind == "promote":
            user.role = request.role
        # Whoever knew the account's password before (its administrator included) knows none now.
        _forget_password(user, now, request.kind)
        link = issue_password_link(actor, user, now)
    record_audit("user.change_confirmed" if approve else "user.change_refused", target_type="user",
                 target_id=user.username, actor=actor, now=now,
                 detail=f"request={request.id} kind={request.kind} role={request.role}")
    db.session.commit()
    return link


def set_password_by_link(token: str, new_password: str, now: datetime) -> User:
    link = password_link(token, now)
    user = link.user
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    link.used_at = now
    sessions.end_all_sessions(user.id, now, "password_set")
    record_audit("user.password_set", target_type="user", target_id=user.username, actor=user, now=now)
    db.session.commit()
    return user


def password_link(token: str, now: datetime) -> PasswordLink:
    """The unused, unexpired link for `token`; a guessed, used or old one is a 404 that says nothing more."""
    link = db.session.scalar(sa.select(PasswordLink).where(PasswordLink.token_hash == token_hash(token)))
    if link is None or link.used_at is not None or link.expires_at <= now or not link.user.active:
        raise NotFound(_("链接无效或已过期，请联系系统管理员重新发送。"))
    return link


def all_users() -> list[User]:
    """For the administrator's list: active accounts first, then by username."""
    return db.session.scalars(sa.select(User).order_by(User.active.desc(), User.username)).all()


def set_user_active(actor: User, user: User, active: bool, now: datetime) -> None:
    """Enable or disable an account; disabling ends all its sessions at once."""
    if user.id == actor.id and not active:
        raise Conflict(_("不能停用自己的账号。"))
    if active and db.session.scalar(sa.select(AccountRequest.id).where(
            AccountRequest.user_id == user.id, AccountRequest.kind == "create",
            AccountRequest.status != "confirmed")):
        raise NotAllowed(_("该账号须经总经理确认后才能启用。"))
    user.active = active
    if not active:
        sessions.end_all_sessions(user.id, now, "disabled")
    record_audit("user.enabled" if active else "user.disabled", target_type="user",
                 target_id=user.username, actor=actor, now=now)
    db.session.commit()


def change_role(actor: User, user: User, role: str, now: datetime) -> bool:
    """Change a role at once, or, for a role that reads every archive, ask a director first;
    returns whether the change is made."""
    if role not in ROLES:
        raise Conflict(_("未知角色。"))
    if user.id == actor.id:
        raise Conflict(_("不能修改自己的角色。"))
    if role != user.role and gives_archive_rights(role):
        _ask_director(actor, user, "promote", role, now)
        db.session.commit()
        return False
    old_role, user.role = user.role, role
    sessions.end_all_sessions(user.id, now, "role_changed")
    record_audit("user.role_changed", target_type="user", target_id=user.username,
                 detail=f"{old_role}->{role}", actor=actor, now=now)
    db.session.commit()
    return True


def reset_password(actor: User, user: User, now: datetime) -> str | None:
    """The old password stops working and the person sets a new one by a one-time link, returned
    to hand over; a director or manager account waits for a director's confirmation (None)."""
    if gives_archive_rights(user.role):
        _ask_director(actor, user, "reset", user.role, now)
        db.session.commit()
        return None
    _forget_password(user, now, "password_reset")
    record_audit("user.password_reset", target_type="user", target_id=user.username,
                 actor=actor, now=now)
    link = issue_password_link(actor, user, now)
    db.session.commit()
    return link


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


def set_contact_details(user: User, mobile: str, email: str, now: datetime) -> None:
    """One's own mobile (as E.164; InvalidPhone when it is not a number) and email."""
    user.mobile = normalise_phone(mobile) if mobile.strip() else None
    user.email = email.strip().lower() or None
    record_audit("account.contact_changed", target_type="user", target_id=user.id, actor=user, now=now)
    db.session.commit()
