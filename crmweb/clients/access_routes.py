"""Requests to read a client's confidential archive, and a manager's decisions on them."""
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crmweb.auth.permissions import ARCHIVE_GRANT, CLIENTS_VIEW, require
from crmweb.clients import access, bp, forms, labels
from crmweb.clients.models import ArchiveAccessRequest
from crmweb.clients.routes import page_with_errors
from crmweb.extensions import db
from crmweb.htmx import render
from crmweb.timeutil import request_now


@bp.route("/clients/<int:client_id>/access-requests", methods=["POST"])
@require(CLIENTS_VIEW)
def request_access(client_id):
    client = access.get_client(client_id)
    form = forms.ReasonForm()
    if not form.validate_on_submit():
        return page_with_errors(client, reason_form=form)
    access.request_archive_access(current_user, client, form.reason.data, request_now())
    flash(_("已提交查阅申请，经理批准后即可查阅。"), "success")
    return redirect(url_for("clients.detail", client_id=client.id))


@bp.route("/clients/access-requests")
@require(ARCHIVE_GRANT)
def access_requests():
    status = request.args.get("status", "pending")
    status = status if status in labels.ACCESS_STATUS else ""
    return _requests_page(status)


def _requests_page(status: str, invalid_id: int | None = None, invalid_form=None):
    """The queue of requests; a decision form that failed shows its messages on its own row."""
    return render("clients/access_requests.html", requests=access.access_requests(status or None),
                  status=status, labels=labels, form=forms.AccessDecisionForm(), now=request_now(),
                  invalid_id=invalid_id, invalid_form=invalid_form, status_code=422 if invalid_form else 200)


def _access_request_or_404(request_id) -> ArchiveAccessRequest:
    access_request = db.session.get(ArchiveAccessRequest, request_id)
    if access_request is None:
        abort(404)
    return access_request


@bp.route("/clients/access-requests/<int:request_id>/<decision>", methods=["POST"])
@require(ARCHIVE_GRANT)
def decide_access(request_id, decision):
    access_request = _access_request_or_404(request_id)
    if decision == "revoke":
        access.revoke_grant(current_user, access_request, request_now())
        flash(_("已撤销授权。"), "success")
        return redirect(url_for("clients.access_requests", status="approved"))
    if decision not in ("approve", "refuse"):
        abort(404)
    form = forms.AccessDecisionForm()
    if not form.validate_on_submit():
        return _requests_page("pending", access_request.id, form)
    access.decide_access_request(current_user, access_request, decision == "approve",
                                   form.days.data or 7, form.note.data, request_now())
    flash(_("已批准查阅申请。") if decision == "approve" else _("已拒绝查阅申请。"), "success")
    return redirect(url_for("clients.access_requests"))
