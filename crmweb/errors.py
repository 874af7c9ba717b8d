"""Domain errors raised by services, and the handlers that turn every failure into a clear page.

Nothing reaches the user as a stack trace: each error renders in Chinese (or the user's language)
as a page, or for htmx requests as a message placed in the flash area of the page.
"""
from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from crmweb.auth.audit import record_audit
from crmweb.extensions import db
from crmweb.htmx import is_fragment_request


class DomainError(Exception):
    """A business rule said no. The message is for the user; views turn it into a 4xx."""

    status_code = 409

    def __init__(self, message: str, status_code: int | None = None, audit: dict | None = None):
        super().__init__(message)
        self.message = message
        # What to write to the audit log about the refusal: kept out of the transaction that
        # the refusal rolls back, and recorded by the handler afterwards.
        self.audit = audit
        if status_code is not None:
            self.status_code = status_code


class Denied(Exception):
    """The signed-in user lacks the permission the endpoint declared (auth answers and audits it)."""

    def __init__(self, permission: str | None):
        super().__init__(permission)
        self.permission = permission


# The kinds a service raises; each answers with its status, chosen here and nowhere else.
class NotFound(DomainError):
    status_code = 404


class NotAllowed(DomainError):
    """A rule about who may do it said no (audited as a permission denial)."""
    status_code = 403


class Invalid(DomainError):
    """The input breaks a rule: the person can correct it."""
    status_code = 422


class Conflict(DomainError):
    """The state has moved on (already decided, already done, changed meanwhile)."""
    status_code = 409


def _messages():
    return {
        400: _("请求无效。请检查输入后重试。"),
        401: _("请先登录。"),
        403: _("您没有权限执行此操作。"),
        404: _("找不到您要的页面或记录。"),
        405: _("不支持此请求方式。"),
        413: _("上传的文件太大。"),
        422: _("提交的内容有误，请修改后重试。"),
        429: _("请求过于频繁，请稍后再试。"),
        500: _("系统出错了，我们已记录此问题。请稍后重试。"),
    }


def render_error(status: int, message: str | None = None):
    message = message or _messages().get(status, _messages()[500])
    if is_fragment_request():
        response = current_app.make_response(
            (render_template("errors/_error.html", status=status, message=message), status))
        # Show the message where messages go instead of swapping it into the requesting element.
        response.headers["HX-Retarget"] = "#flashes"
        response.headers["HX-Reswap"] = "innerHTML"
    else:
        response = current_app.make_response(
            (render_template("errors/error.html", status=status, message=message), status))
    return response


def refuse_nul_characters():
    """A NUL in a query or form value is never typed by a person, and PostgreSQL refuses to store or
    compare it: the request is refused before any of it reaches the database."""
    for values in (request.args, request.form):
        if any("\x00" in value for _name, value in values.items(multi=True)):
            raise DomainError(_("请求中含有无效字符。"), status_code=400)


def register_errorhandlers(app):
    app.before_request(refuse_nul_characters)

    @app.errorhandler(DomainError)
    def domain_error(error):
        db.session.rollback()
        audit = error.audit
        if audit is None and error.status_code == 403:
            # An object rule said no (not your client, …): a permission denial like any other.
            audit = {"action": "permission.denied", "target_type": "endpoint",
                     "target_id": request.endpoint, "detail": f"{request.method} {request.path}"}
        if audit:
            record_audit(**audit)
            db.session.commit()
        return render_error(error.status_code, error.message)

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return render_error(400, _("页面已过期或表单来源无效，请刷新页面后重试。"))

    @app.errorhandler(HTTPException)
    def http_error(error):
        db.session.rollback()
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        db.session.rollback()
        current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500)
