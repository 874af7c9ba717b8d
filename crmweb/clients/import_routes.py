"""/clients/import: upload → preview → confirm."""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from crmweb.auth.permissions import CLIENTS_IMPORT, CLIENTS_REASSIGN, require, role_can
from crmweb.clients import bp, forms, importer, services
from crmweb.clients.importing import CONFIDENTIAL_FIELDS, FIELD_LABELS, UnreadableFile
from crmweb.htmx import render
from crmweb.timeutil import request_now


def _import_form():
    form = forms.ImportForm()
    if can_choose_owner():
        form.owner_id.choices = [SelectChoice(u.id, u.display_name) for u in services.assignable_owners()]
    else:
        form.owner_id.choices = [SelectChoice(current_user.id, current_user.display_name)]
    if form.owner_id.data is None:
        form.owner_id.data = current_user.id
    return form


def can_choose_owner() -> bool:
    return role_can(current_user.role, CLIENTS_REASSIGN)


@bp.route("/clients/import", methods=["GET", "POST"])
@require(CLIENTS_IMPORT)
def import_upload():
    """Upload → preview (mapping, counts, problems by line) → confirm. Nothing is written before."""

    now = request_now()
    form = _import_form()
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render("clients/import.html", form=form, status_code=status)
    owner_id = form.owner_id.data if can_choose_owner() else current_user.id
    if owner_id not in {choice.value for choice in form.owner_id.choices}:
        form.owner_id.errors = list(form.owner_id.errors) or [_("请选择负责人。")]
        return render("clients/import.html", form=form, status_code=422)
    upload = form.file.data
    # A file name is only shown back: printable characters, no NUL for the database to refuse.
    data = upload.read()
    filename = "".join(ch for ch in upload.filename or "" if ch.isprintable()) or "upload"
    try:
        pending, parsed, preview = importer.preview_import(current_user, owner_id, filename, data, now)
    except UnreadableFile as problem:
        form.file.errors.append(str(problem))
        return render("clients/import.html", form=form, status_code=422)
    # The first lines of the file as they will go in: refused lines marked with their reason.
    problems = {problem.line: problem.message for problem in preview.problems}
    sample = sorted([(row.line, row) for row in parsed.rows[:20]] + [(line, None) for line in problems],
                    key=lambda item: item[0])[:20]
    return render("clients/import_preview.html", parsed=parsed, summary=preview, pending=pending,
                  field_labels=_field_labels(), sample=sample, problems=problems,
                  warned={warning.line for warning in preview.warnings})


def _field_labels():

    return FIELD_LABELS, set(CONFIDENTIAL_FIELDS)


@bp.route("/clients/import/<int:import_id>", methods=["POST"])
@require(CLIENTS_IMPORT)
def import_confirm(import_id):
    pending, summary = importer.confirm_import(current_user, import_id, request_now())
    flash(_("导入完成：新建 %(created)s，更新 %(updated)s，跳过 %(skipped)s，错误 %(errors)s。"
            "下面是这次导入的客户。",
            created=summary.created, updated=summary.updated, skipped=summary.skipped,
            errors=summary.errors), "success")
    return redirect(url_for("clients.index", **{"import": pending.id}))
