"""Wiring of flask-login to the server-side sessions, and the per-request access checks."""
from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crmweb.auth import sessions
from crmweb.auth.audit import record_audit
from crmweb.auth.permissions import enforce_endpoint_permission
from crmweb.errors import Denied, render_error
from crmweb.extensions import db, login_manager
from crmweb.htmx import is_htmx_request
from crmweb.timeutil import utcnow

# Endpoints a user who must change a reset password may still reach.
_PASSWORD_CHANGE_ENDPOINTS = {"auth.change_password", "auth.logout", "auth.set_language", "static"}


def init_app(app):
    login_manager.init_app(app)
    login_manager.session_protection = None  # the server-side session row does this job
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_ask_to_sign_in)
    app.before_request(enforce_endpoint_permission)
    app.before_request(_require_password_change)
    app.register_error_handler(Denied, _denied)


def _denied(error: Denied):
    """A role without the endpoint's permission: 403, and the attempt in the audit log."""
    db.session.rollback()
    record_audit("permission.denied", target_type="endpoint", target_id=request.endpoint,
                 detail=f"{request.method} {request.path} needs {error.permission}")
    db.session.commit()
    return render_error(403)


def _load_user(user_id: str):
    token = session.get("sid")
    if not token:
        return None
    config = current_app.config
    polled = getattr(current_app.view_functions.get(request.endpoint), "passive", False)
    user = sessions.user_for_token(token, utcnow(), config["SESSION_IDLE_TIMEOUT"],
                                   config["SESSION_ABSOLUTE_TIMEOUT"], active=not polled)
    if user is None or str(user.id) != user_id:
        session.pop("sid", None)
        session["expired"] = True
        return None
    return user


def _ask_to_sign_in():
    if session.pop("expired", False):
        flash(_("会话已结束，请重新登录。"), "warning")
    target = url_for("auth.login", next=request.full_path if request.method == "GET" else None)
    if is_htmx_request():
        response = current_app.make_response(("", 401))
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


def _require_password_change():
    # Checked before current_user, so that static files never cost a session lookup.
    if request.endpoint in _PASSWORD_CHANGE_ENDPOINTS or request.endpoint is None:
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        flash(_("请先设置新密码。"), "warning")
        return redirect(url_for("auth.change_password"))
    return None
