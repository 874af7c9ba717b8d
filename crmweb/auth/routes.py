"""Sign in, sign out, one's own password, the interface language."""
from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from crmweb.auth import bp, services
from crmweb.auth.forms import ChangePasswordForm, ContactDetailsForm, LoginForm, SetPasswordForm
from crmweb.auth.permissions import login_required_only, public
from crmweb.clients.rules import InvalidPhone
from crmweb.extensions import db
from crmweb.htmx import render
from crmweb.redirects import local_target
from crmweb.timeutil import request_now


def _safe_next(target: str | None) -> str:
    """Only same-site paths: `next` must never send a user to another host."""
    return local_target(target, url_for("dashboard.index"))


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render("auth/login.html", form=form, status_code=status)
    now = request_now()
    try:
        user = services.authenticate(form.username.data, form.password.data,
                                     request.remote_addr, now)
    except (services.WrongCredentials, services.LoginRefused) as refusal:
        form.password.errors.append(refusal.message)
        return render("auth/login.html", form=form, status_code=refusal.status_code)
    token = services.sign_in(user, request.remote_addr, request.user_agent.string, now)
    # A fresh session on every login: nothing from before (fixation) survives it.
    language = session.get("lang")
    session.clear()
    session["sid"] = token
    if language:
        session["lang"] = language
    login_user(user)
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/logout", methods=["POST"])
@login_required_only
def logout():
    services.sign_out(current_user, session.get("sid"), request_now())
    logout_user()
    session.clear()
    flash(_("您已安全退出。"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required_only
def change_password():
    form = ChangePasswordForm(username=current_user.username)
    if form.validate_on_submit():
        try:
            services.change_own_password(current_user, form.current_password.data,
                                         form.new_password.data, session.get("sid"), request_now())
        except services.WrongCredentials as wrong:
            form.current_password.errors.append(wrong.message)
        else:
            flash(_("密码已修改。"), "success")
            return redirect(url_for("dashboard.index"))
    status = 422 if request.method == "POST" else 200
    return render("auth/change_password.html", form=form, status_code=status)


@bp.route("/account/contact", methods=["GET", "POST"])
@login_required_only
def contact_details():
    """The person's own mobile and email, where urgent work reaches them (an escalated case)."""
    form = ContactDetailsForm(obj=current_user if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.set_contact_details(current_user, form.mobile.data or "", form.email.data or "",
                                         request_now())
        except InvalidPhone:
            form.mobile.errors = [_("手机号格式不对。")]
        else:
            flash(_("联系方式已保存。"), "success")
            return redirect(url_for("auth.contact_details"), code=303)
    status = 422 if request.method == "POST" else 200
    return render("auth/contact_details.html", form=form, status_code=status)


@bp.route("/language", methods=["POST"])
@public
def set_language():
    language = request.form.get("lang", "")
    if language in current_app.config["LANGUAGES"]:
        session["lang"] = language
        if current_user.is_authenticated:
            current_user.locale = language
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/password/set/<token>", methods=["GET", "POST"])
@public
def set_password(token):
    """The one-time link an administrator or a director hands over: the person alone sets the
    password. A guessed, used or expired link says only that it does not work."""
    link = services.password_link(token[:100], request_now())
    form = SetPasswordForm(username=link.user.username)
    if form.validate_on_submit():
        services.set_password_by_link(token[:100], form.new_password.data, request_now())
        flash(_("密码已设置，请用新密码登录。"), "success")
        return redirect(url_for("auth.login"))
    status = 422 if request.method == "POST" else 200
    return render("auth/set_password.html", form=form, user=link.user, status_code=status)
