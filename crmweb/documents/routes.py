"""/documents: files uploaded onto a client or a case, downloaded (images shown) and deleted, each
by who may read or change what they belong to."""

from flask import flash, redirect, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from crmweb.auth.permissions import DOCUMENTS_USE, require
from crmweb.documents import bp, rules, services
from crmweb.errors import Invalid
from crmweb.redirects import local_target
from crmweb.timeutil import request_now


def _back() -> str:
    return local_target(request.form.get("next"), "/")


@bp.route("/documents/<kind>/<int:owner_id>", methods=["POST"])
@require(DOCUMENTS_USE)
def upload(kind, owner_id):
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        flash(_("请选择要上传的文件。"), "warning")
        return redirect(_back(), code=303)
    try:
        document = services.upload(
            current_user,
            kind,
            owner_id,
            sent.filename,
            sent.stream,
            bool(request.form.get("confidential")),
            request_now(),
        )
    except Invalid as refused:
        flash(refused.message, "danger")
        return redirect(_back(), code=303)
    flash(_("已上传 %(name)s。", name=document.name), "success")
    return redirect(_back(), code=303)


@bp.route("/documents/<int:document_id>")
@require(DOCUMENTS_USE)
def download(document_id):
    """Served only through the app: an image may be shown in the page, anything else is saved."""
    document, stream = services.for_download(current_user, document_id, request_now())
    inline = request.args.get("view") == "1" and document.content_type in rules.PREVIEWABLE
    response = send_file(
        stream,
        mimetype=document.content_type,
        as_attachment=not inline,
        download_name=document.name,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/documents/<int:document_id>/delete", methods=["POST"])
@require(DOCUMENTS_USE)
def delete(document_id):
    document = services.delete(current_user, document_id, request_now())
    flash(_("已删除 %(name)s。", name=document.name), "success")
    return redirect(_back(), code=303)
