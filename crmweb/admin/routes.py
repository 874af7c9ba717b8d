"""User administration and the audit log."""

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crmweb.admin import audit_view, bp
from crmweb.admin.forms import AuditFilterForm, ConfirmForm, NewUserForm, RoleForm
from crmweb.auth import services
from crmweb.auth.models import AccountRequest, User
from crmweb.auth.permissions import ADMIN_AUDIT, ADMIN_USERS, ROLES, USERS_CONFIRM, require
from crmweb.errors import Invalid
from crmweb.extensions import db
from crmweb.htmx import is_fragment_request, render
from crmweb.pagination import paginate
from crmweb.timeutil import request_now


def _users():
    return services.all_users()


@bp.route("/")
@require(ADMIN_USERS)
def index():
    return redirect(url_for("admin.users"))


def _users_page(form=None, status_code=200, **shown):
    users = _users()
    return render("admin/users.html", form=form or NewUserForm(), users=users,
                  pending=services.pending_request_for(u.id for u in users), status_code=status_code,
                  **shown)


@bp.route("/users", methods=["GET", "POST"])
@require(ADMIN_USERS)
def users():
    form = NewUserForm()
    if form.validate_on_submit():
        user, token = services.create_account(current_user, form.username.data, form.display_name.data,
                                              form.role.data, request_now())
        if token is None:
            flash(_("已创建用户 %(username)s，等待总经理确认后启用。", username=user.username), "success")
            return redirect(url_for("admin.users"))
        # The link is shown in this one response only (a flash would keep it in the cookie).
        return _users_page(link_user=user, link=_link_url(token))
    status = 422 if request.method == "POST" else 200
    return _users_page(form, status)


def _link_url(token: str | None) -> str | None:
    return url_for("auth.set_password", token=token, _external=True) if token else None


def _after_row_change(user: User, link: str | None = None, role_error: str | None = None):
    """The user's row again (htmx) or the page; a refused role change says why beside the select."""
    shown = {"role_error": (user.id, role_error)} if role_error else {}
    status_code = 422 if role_error else 200
    if is_fragment_request():
        return render("admin/users.html", "admin/_user_row.html", user=user, form=NewUserForm(),
                      users=_users(), pending=services.pending_request_for([user.id]), row_link=link,
                      status_code=status_code, **shown)
    if role_error:
        return _users_page(status_code=status_code, **shown)
    if link:
        return _users_page(link_user=user, link=link)
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/disable", methods=["POST"])
@require(ADMIN_USERS)
def disable_user(user_id):
    user = db.get_or_404(User, user_id)
    services.set_user_active(current_user, user, False, request_now())
    flash(_("已停用 %(name)s（%(username)s），其所有会话已结束。", name=user.display_name,
            username=user.username), "success")
    return _after_row_change(user)


@bp.route("/users/<int:user_id>/enable", methods=["POST"])
@require(ADMIN_USERS)
def enable_user(user_id):
    user = db.get_or_404(User, user_id)
    services.set_user_active(current_user, user, True, request_now())
    flash(_("已启用 %(name)s（%(username)s）。", name=user.display_name, username=user.username),
          "success")
    return _after_row_change(user)


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@require(ADMIN_USERS)
def reset_password(user_id):
    user = db.get_or_404(User, user_id)
    token = services.reset_password(current_user, user, request_now())
    flash(_("已重置 %(name)s 的密码，请把一次性链接交给本人。", name=user.display_name) if token else
          _("重置 %(name)s 的密码须经总经理确认，确认后由总经理把链接交给本人。", name=user.display_name),
          "success")
    return _after_row_change(user, _link_url(token))


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@require(ADMIN_USERS)
def change_role(user_id):
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _after_row_change(user, role_error=_("请选择有效的角色。"))
    if services.change_role(current_user, user, form.role.data, request_now()):
        flash(_("已将 %(username)s 的角色改为 %(role)s。", username=user.username,
                role=ROLES[form.role.data]), "success")
    else:
        flash(_("将 %(username)s 改为 %(role)s 须经总经理确认。", username=user.username,
                role=ROLES[form.role.data]), "success")
    return _after_row_change(user)


@bp.route("/account-requests")
@require(USERS_CONFIRM)
def account_requests():
    """For directors: administrators' changes that would give someone every archive."""
    return render("admin/account_requests.html", requests=services.pending_account_requests(),
                  form=ConfirmForm())


@bp.route("/account-requests/<int:request_id>/<decision>", methods=["POST"])
@require(USERS_CONFIRM)
def decide_account_request(request_id, decision):
    if decision not in ("confirm", "refuse"):
        abort(404)
    account_request = db.get_or_404(AccountRequest, request_id)
    if not ConfirmForm().validate_on_submit():
        raise Invalid(_("请求无效，请刷新页面后重试。"))
    token = services.decide_account_request(current_user, account_request, decision == "confirm",
                                            request_now())
    if token is None:
        flash(_("已拒绝。"), "success")
        return redirect(url_for("admin.account_requests"))
    return render("admin/account_requests.html", requests=services.pending_account_requests(),
                  form=ConfirmForm(), link_user=account_request.user, link=_link_url(token))


@bp.route("/audit")
@require(ADMIN_AUDIT)
def audit_log():
    form = AuditFilterForm(request.args)
    valid = form.validate()
    query = audit_view.events(form.data if valid else {})
    page = paginate(query, request.args.get("page", 1), current_app.config["PAGE_SIZE"])
    return render("admin/audit.html", "admin/_audit_table.html", form=form, page=page,
                  rows=audit_view.rows(page.items), status_code=200 if valid else 422)
