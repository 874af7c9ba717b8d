"""User administration and the audit log."""
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crmweb.admin import bp
from crmweb.admin.forms import AuditFilterForm, NewUserForm, RoleForm
from crmweb.auth import services
from crmweb.auth.models import AuditEvent, User
from crmweb.auth.permissions import ADMIN_AUDIT, ADMIN_USERS, require
from crmweb.errors import DomainError
from crmweb.extensions import db
from crmweb.htmx import is_fragment_request, render
from crmweb.pagination import paginate
from crmweb.timeutil import local_zone, utcnow


def _users():
    return db.session.scalars(sa.select(User).order_by(User.active.desc(), User.username)).all()


@bp.route("/")
@require(ADMIN_USERS)
def index():
    return redirect(url_for("admin.users"))


@bp.route("/users", methods=["GET", "POST"])
@require(ADMIN_USERS)
def users():
    form = NewUserForm()
    if form.validate_on_submit():
        user = services.create_user(current_user, form.username.data, form.display_name.data,
                                    form.role.data, form.password.data, utcnow())
        flash(_("已创建用户 %(username)s，首次登录时需修改密码。", username=user.username), "success")
        return redirect(url_for("admin.users"))
    status = 422 if request.method == "POST" else 200
    return render("admin/users.html", form=form, users=_users(),
                  status_code=status)


def _user_row(user: User, temporary_password: str | None = None):
    return render("admin/users.html", "admin/_user_row.html", user=user, form=NewUserForm(),
                  users=_users(), temporary_password=temporary_password)


def _after_row_change(user: User, temporary_password: str | None = None):
    if is_fragment_request():
        return _user_row(user, temporary_password)
    if temporary_password:
        flash(_("%(username)s 的临时密码：%(password)s（只显示这一次）",
                username=user.username, password=temporary_password), "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/disable", methods=["POST"])
@require(ADMIN_USERS)
def disable_user(user_id):
    user = db.get_or_404(User, user_id)
    services.set_user_active(current_user, user, False, utcnow())
    flash(_("已停用 %(name)s（%(username)s），其所有会话已结束。", name=user.display_name,
            username=user.username), "success")
    return _after_row_change(user)


@bp.route("/users/<int:user_id>/enable", methods=["POST"])
@require(ADMIN_USERS)
def enable_user(user_id):
    user = db.get_or_404(User, user_id)
    services.set_user_active(current_user, user, True, utcnow())
    flash(_("已启用 %(name)s（%(username)s）。", name=user.display_name, username=user.username),
          "success")
    return _after_row_change(user)


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@require(ADMIN_USERS)
def reset_password(user_id):
    user = db.get_or_404(User, user_id)
    temporary = services.reset_password(current_user, user, utcnow())
    return _after_row_change(user, temporary)


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@require(ADMIN_USERS)
def change_role(user_id):
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        raise DomainError(_("请选择有效的角色。"), status_code=422)
    services.change_role(current_user, user, form.role.data, utcnow())
    flash(_("已将 %(username)s 的角色改为 %(role)s。", username=user.username,
            role=form.role.data), "success")
    return _after_row_change(user)


@bp.route("/audit")
@require(ADMIN_AUDIT)
def audit_log():
    form = AuditFilterForm(request.args)
    query = sa.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if form.validate():
        query = _filter_audit(query, form)
        status = 200
    else:
        status = 422
    page = paginate(query, request.args.get("page", 1), current_app.config["PAGE_SIZE"])
    return render("admin/audit.html", "admin/_audit_table.html", form=form, page=page,
                  status_code=status)


def _filter_audit(query, form):
    zone = local_zone()
    if form.action.data:
        query = query.where(AuditEvent.action.startswith(form.action.data.strip(), autoescape=True))
    if form.actor.data:
        query = query.where(AuditEvent.actor_name == form.actor.data.strip().lower())
    if form.ip.data:
        query = query.where(AuditEvent.ip == form.ip.data.strip())
    if form.date_from.data:
        start = datetime.combine(form.date_from.data, time.min, zone)
        query = query.where(AuditEvent.at >= start)
    if form.date_to.data:
        end = datetime.combine(form.date_to.data + timedelta(days=1), time.min, zone)
        query = query.where(AuditEvent.at < end)
    return query
