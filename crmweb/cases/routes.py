"""/cases: open a case (from the client page, a callback, a letter, the front desk), work it with
its deadlines in sight, resolve it and let the client's confirmation close it; the deadline
table and the working hours; reports."""

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from crmweb.auth.audit import record_audit
from crmweb.auth.permissions import CASES_OPEN, CASES_SETUP, CASES_TEAM, CASES_VIEW, KB_WRITE, can, require
from crmweb.bookings.forms import people_choices
from crmweb.callbacks import labels as callback_labels
from crmweb.callbacks import services as callback_services
from crmweb.cases import bp, kb_bridge, labels, reports, rules, services
from crmweb.cases.forms import (
    AssignForm,
    CaseForm,
    CaseSettingsForm,
    DeadlineForm,
    NoteForm,
    ReasonForm,
    ResolveForm,
)
from crmweb.cases.models import CaseDeadline
from crmweb.clients import access
from crmweb.clients import labels as client_labels
from crmweb.clients.picker import client_choices
from crmweb.clients.services import assignable_owners
from crmweb.documents import services as documents
from crmweb.errors import Conflict, Invalid
from crmweb.extensions import db
from crmweb.htmx import render
from crmweb.ids import whole_number
from crmweb.settings import change_settings, get_setting
from crmweb.timeutil import request_now

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/cases")
@require(CASES_VIEW)
def index():
    """My cases, nearest deadline first (supervisors: everyone's); closed ones on request."""
    team = can(CASES_TEAM)
    everyone = team and request.args.get("who") != "me"
    status = request.args.get("status", "")
    kind = request.args.get("kind", "")
    status = status if status in set(rules.Status) else ""
    kind = kind if kind in set(rules.Kind) else ""
    now = request_now()
    listed = services.cases_listed(current_user, everyone, status, kind)
    return render(
        "cases/index.html",
        "cases/_table.html",
        rows=services.rows_for(listed, now),
        labels=labels,
        client_labels=client_labels,
        team=team,
        everyone=everyone,
        status=status,
        kind=kind,
        repeaters=services.repeat_complainers(now) if team else [],
    )


def _case_form(**options) -> CaseForm:
    form = CaseForm(**options)
    client = services.find_client(form.client_id.data)
    sees_contacts = client is not None and access.can_see_archive(current_user, client, request_now())
    form.contact_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(contact.id, contact.name) for contact in (client.contacts if sees_contacts else [])
    ]
    return form


@bp.route("/cases/new", methods=["GET", "POST"])
@require(CASES_OPEN)
def new():
    """Open a case; `?client=` and `?callback=` when it comes from a client's page or a callback."""
    form = _case_form()
    found_in = None
    callback_id = whole_number(request.values.get("callback"))
    if callback_id:
        found_in = callback_services.get_callback(callback_id)
        if not callback_services.may_work_on(current_user, found_in):
            abort(403)
    if request.method == "GET":
        form = _case_form(
            data={
                "client_id": whole_number(request.args.get("client"))
                or (found_in.client_id if found_in else None)
            }
        )
    client = services.find_client(form.client_id.data)
    if not form.validate_on_submit() or client is None:
        if request.method == "POST" and client is None and not form.client_id.errors:
            form.client_id.errors = [_("请选择客户。")]
        return _new_page(form, client, found_in, status_code=422 if request.method == "POST" else 200)
    values = {
        name: form[name].data
        for name in ("kind", "channel", "contact_id", "severity", "cause", "product", "description")
    }
    try:
        case = services.open_case(current_user, client, values, request_now(), found_in)
    except Invalid as refused:
        db.session.rollback()
        beside = (
            form.cause if form.kind.data == rules.Kind.COMPLAINT and not form.cause.data else form.contact_id
        )
        beside.errors = [refused.message]
        return _new_page(form, client, found_in, status_code=422)
    flash(_("工单 #%(id)s 已登记。", id=case.id), "success")
    if can(CASES_VIEW):
        return redirect(url_for("cases.detail", case_id=case.id), code=303)
    return redirect(url_for("cases.new"), code=303)  # the front desk: the next caller


def _new_page(form, client, found_in, status_code=200):
    return render(
        "cases/new.html",
        form=form,
        client=client,
        found_in=found_in,
        client_labels=client_labels,
        status_code=status_code,
    )


@bp.route("/cases/clients")
@require(CASES_OPEN)
def pick_client():
    """Search as you type for a case's client (the front desk too: name and tier only)."""
    return client_choices()


@bp.route("/cases/contacts")
@require(CASES_OPEN)
def contact_choices():
    """The chosen client's contacts, for those who see its archive (the front desk sees none)."""
    return render(
        "cases/_contact_field.html", "cases/_contact_field.html", form=_case_form(formdata=request.args)
    )


def _detail_page(case, status_code=200, **forms):
    assign_form = AssignForm(formdata=None, owner_id=case.owner_id)
    assign_form.owner_id.choices = people_choices(services.case_workers(assignable_owners()))
    now = request_now()
    return render(
        "cases/detail.html",
        case=case,
        row=services.rows_for([case], now)[0],
        labels=labels,
        client_labels=client_labels,
        may_work=services.may_work(current_user, case),
        now=now,
        files=documents.files_of(current_user, "case", case.id, now),
        related=services.related_callbacks(case),
        callback_labels=callback_labels,
        repairs=services.repair_visits(case),
        note_form=forms.get("note_form") or NoteForm(formdata=None),
        reason_form=forms.get("reason_form") or ReasonForm(formdata=None),
        resolve_form=forms.get("resolve_form") or ResolveForm(formdata=None),
        assign_form=assign_form,
        status_code=status_code,
    )


@bp.route("/cases/<int:case_id>")
@require(CASES_VIEW)
def detail(case_id):
    return _detail_page(services.get_case(case_id))


@bp.route("/cases/<int:case_id>/suggestions")
@require(CASES_VIEW)
def suggestions(case_id):
    """The knowledge base's best answers for the case's text (loaded beside it by htmx)."""
    case = services.get_case(case_id)
    return render("cases/_suggestions.html", "cases/_suggestions.html", hits=kb_bridge.answers_for(case))


@bp.route("/cases/<int:case_id>/notes", methods=["POST"])
@require(CASES_VIEW)
def add_note(case_id):
    case = services.get_case(case_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _detail_page(case, status_code=422, note_form=form)
    not_sent = services.add_note(
        current_user, case, form.text.data, form.to_client.data, form.channel.data, request_now()
    )
    flash(_("已记录。"), "success")
    if not_sent:
        flash(_("消息未发出：%(reason)s", reason=not_sent), "warning")
    return redirect(url_for("cases.detail", case_id=case_id), code=303)


@bp.route("/cases/<int:case_id>/assign", methods=["POST"])
@require(CASES_TEAM)
def assign(case_id):
    case = services.get_case(case_id)
    form = AssignForm()
    people = {person.id: person for person in services.case_workers(assignable_owners())}
    form.owner_id.choices = people_choices(people.values())
    if not form.validate_on_submit():
        return _detail_page(case, status_code=422)
    services.assign(current_user, case, people[form.owner_id.data], request_now())
    flash(_("已分派。"), "success")
    return redirect(url_for("cases.detail", case_id=case_id), code=303)


@bp.route("/cases/<int:case_id>/escalate", methods=["POST"])
@require(CASES_VIEW)
def escalate(case_id):
    """Anyone who may read the case may raise it a level, saying why."""
    case = services.get_case(case_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _detail_page(case, status_code=422, reason_form=form)
    services.escalate(current_user, case, form.reason.data, request_now())
    flash(_("工单已升级。"), "success")
    return redirect(url_for("cases.detail", case_id=case_id), code=303)


CLOCK_STEPS = {"wait": services.wait_for_client, "resume": services.client_replied}


@bp.route("/cases/<int:case_id>/<step>", methods=["POST"])
@require(CASES_VIEW)
def clock_step(case_id, step):
    """Waiting for the client (the clock stops) or the client's reply (it runs again)."""
    if step not in CLOCK_STEPS:
        abort(404)
    CLOCK_STEPS[step](current_user, services.get_case(case_id), request_now())
    return redirect(url_for("cases.detail", case_id=case_id), code=303)


@bp.route("/cases/<int:case_id>/resolve", methods=["POST"])
@require(CASES_VIEW)
def resolve(case_id):
    case = services.get_case(case_id)
    form = ResolveForm()
    if not form.validate_on_submit():
        return _detail_page(case, status_code=422, resolve_form=form)
    services.resolve(current_user, case, form.resolution.data, request_now())
    flash(_("已处理完毕，确认回访已安排。客户确认后工单关闭。"), "success")
    return redirect(url_for("cases.detail", case_id=case_id), code=303)


@bp.route("/cases/<int:case_id>/to-kb", methods=["POST"])
@require(KB_WRITE)
def to_knowledge_base(case_id):
    """A resolved case as a draft article, without the client's details."""
    case = services.get_case(case_id)
    if case.status not in (rules.Status.RESOLVED, rules.Status.CLOSED):
        raise Conflict(_("处理完毕的工单才能转为知识库文章。"))
    article = kb_bridge.draft_from(current_user, case, request_now())
    flash(_("已生成知识库草稿，请检查后提交。"), "success")
    return redirect(url_for("kb.edit", article_id=article.id), code=303)


@bp.route("/cases/<int:case_id>/repair", methods=["POST"])
@require(CASES_VIEW)
def link_repair(case_id):
    """The repair visit the case led to (its callback then shows beside the case)."""
    case = services.get_case(case_id)
    try:
        services.link_repair(
            current_user, case, whole_number(request.form.get("event_id")) or 0, request_now()
        )
    except Invalid as refused:
        db.session.rollback()
        flash(refused.message, "warning")
        return _detail_page(services.get_case(case_id), status_code=422)
    return redirect(url_for("cases.detail", case_id=case_id), code=303)


# --- the deadline table and the working hours --------------------------------------------------

SETTINGS = {name: f"cases.{name}" for name in ("working_hours", "warn_minutes", "confirm_least")}


def _setup_page(form=None, settings_form=None, editing=None, status_code=200):
    return render(
        "cases/setup.html",
        rows=services.deadline_table(request_now()),
        labels=labels,
        client_labels=client_labels,
        editing=editing,
        form=form or DeadlineForm(formdata=None, obj=editing),
        settings_form=settings_form
        or CaseSettingsForm(formdata=None, data={name: get_setting(key) for name, key in SETTINGS.items()}),
        status_code=status_code,
    )


@bp.route("/cases/setup")
@require(CASES_SETUP)
def setup():
    editing = db.session.get(CaseDeadline, whole_number(request.args.get("edit")) or 0)
    page = _setup_page(editing=editing)
    db.session.commit()  # the company's table, written on first sight
    return page


@bp.route("/cases/deadlines", methods=["POST"])
@bp.route("/cases/deadlines/<int:row_id>", methods=["POST"])
@require(CASES_SETUP)
def save_deadline(row_id=None):
    row = db.get_or_404(CaseDeadline, row_id) if row_id else None
    form = DeadlineForm()
    if not form.validate_on_submit():
        return _setup_page(form=form, editing=row, status_code=422)
    values = {name: form[name].data for name in services.DEADLINE_COLUMNS}
    try:
        services.save_deadline(current_user, row, values, request_now())
    except Invalid as refused:
        db.session.rollback()
        form.kind.errors = [refused.message]
        return _setup_page(form=form, editing=row, status_code=422)
    flash(_("期限已保存。"), "success")
    return redirect(url_for("cases.setup"), code=303)


@bp.route("/cases/settings", methods=["POST"])
@require(CASES_SETUP)
def save_settings():
    form = CaseSettingsForm()
    if form.validate_on_submit():
        try:
            rules.parse_hours(form.working_hours.data)
        except ValueError:
            form.working_hours.errors = [_("工作时间的格式应为 09:00-12:00,13:30-18:00，各段依次且不重叠。")]
    if form.errors or not form.is_submitted():
        return _setup_page(settings_form=form, status_code=422)
    change_settings(
        current_user,
        "cases",
        {
            key: form[name].data.strip() if isinstance(form[name].data, str) else form[name].data
            for name, key in SETTINGS.items()
        },
        request_now(),
    )
    db.session.commit()
    flash(_("设置已保存。"), "success")
    return redirect(url_for("cases.setup"), code=303)


# --- reports ----------------------------------------------------------------------------------


@bp.route("/cases/reports")
@require(CASES_TEAM)
def report():
    """Cases of a period by kind, cause, product, owner and tier; times against deadlines; breach
    rate; satisfaction; `?format=xlsx` as a workbook."""
    period = reports.period_from(request.args, request_now())
    figures = reports.case_report(period)
    if request.args.get("format") == "xlsx":
        record_audit(
            "cases.report_exported",
            target_type="report",
            target_id="cases",
            actor=current_user,
            now=request_now(),
            detail=f"{period.first}..{period.last}",
        )
        db.session.commit()
        response = current_app.response_class(reports.to_xlsx(figures), mimetype=XLSX)
        response.headers["Content-Disposition"] = (
            f'attachment; filename="cases-{period.first}-{period.last}.xlsx"'
        )
        return response
    return render("cases/report.html", report=figures, labels=labels, client_labels=client_labels)
