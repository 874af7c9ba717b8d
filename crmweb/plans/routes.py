"""/plans: maintenance plans drafted, reviewed, approved, carried out as tasks and closed with a
report; each step by its role (403 otherwise), from a state that allows it (409 otherwise)."""

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from crmweb.auth.permissions import PLANS_DRAFT, PLANS_VIEW, require
from crmweb.bookings.forms import people_choices
from crmweb.clients import labels as client_labels
from crmweb.clients.services import assignable_owners
from crmweb.clients.services import labels as all_labels
from crmweb.errors import Invalid
from crmweb.extensions import db
from crmweb.htmx import render
from crmweb.ids import whole_number
from crmweb.plans import bp, labels, rules, services
from crmweb.plans.forms import (
    CloseForm,
    FeedbackForm,
    LevelForm,
    PlanForm,
    ProgressForm,
    ReturnForm,
    StepForm,
    TaskForm,
)
from crmweb.plans.rules import PlanStatus, Step
from crmweb.timeutil import local_zone, request_now


def _today():
    return request_now().astimezone(local_zone()).date()


@bp.route("/plans")
@require(PLANS_VIEW)
def index():
    status = request.args.get("status", "")
    if status and status not in set(PlanStatus):
        status = ""
    return render(
        "plans/index.html",
        plans=services.plans(status),
        status=status,
        labels=labels,
        waiting=services.waiting_for(current_user),
    )


def _plan_form(**options) -> PlanForm:
    form = PlanForm(**options)
    form.label_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(label.id, label.name) for label in all_labels()
    ]
    return form


def _form_page(form, plan=None, status_code=200):
    chosen = (
        services.clients_named([form.client_id.data]).get(form.client_id.data)
        if form.client_id.data
        else None
    )
    return render(
        "plans/edit.html",
        form=form,
        plan=plan,
        client=chosen,
        client_labels=client_labels,
        comments=services.return_comments(plan) if plan else {},
        labels=labels,
        status_code=status_code,
    )


@bp.route("/plans/new", methods=["GET", "POST"])
@require(PLANS_DRAFT)
def new():
    form = _plan_form()
    if request.method == "GET":
        form.client_id.data = whole_number(request.args.get("client"))  # from a client at risk …
    if not form.validate_on_submit():
        return _form_page(form, status_code=422 if request.method == "POST" else 200)
    try:
        plan = services.create_plan(current_user, form.values(), request_now())
    except Invalid as refused:
        db.session.rollback()
        form.ends_on.errors = [refused.message]
        return _form_page(form, status_code=422)
    flash(_("维护方案已保存为草稿。"), "success")
    return redirect(url_for("plans.detail", plan_id=plan.id), code=303)


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
@require(PLANS_DRAFT)
def edit(plan_id):
    plan = services.get_plan(plan_id)
    services.require_editable(plan)
    form = _plan_form(obj=plan) if request.method == "GET" else _plan_form()
    if request.method == "GET":
        form.methods.data = plan.method_list
    if not form.validate_on_submit():
        return _form_page(form, plan, status_code=422 if request.method == "POST" else 200)
    try:
        services.update_plan(current_user, plan, form.values(), request_now())
    except Invalid as refused:
        db.session.rollback()
        form.ends_on.errors = [refused.message]
        return _form_page(form, services.get_plan(plan_id), status_code=422)
    flash(_("方案已保存。"), "success")
    return redirect(url_for("plans.detail", plan_id=plan.id), code=303)


def _detail_page(plan, status_code=200, **forms):
    people = services.assignable(assignable_owners())
    task_form = forms.get("task_form") or TaskForm(formdata=None)
    task_form.assignee_id.choices = people_choices(people)
    level_form = forms.get("level_form") or LevelForm(formdata=None)
    level_form.our_person_id.choices = people_choices(assignable_owners(), blank=True)
    today = _today()
    return render(
        "plans/detail.html",
        plan=plan,
        labels=labels,
        rules=rules,
        today=today,
        duties=services.duties_of(current_user),
        comments=services.return_comments(plan),
        figures=services.figures(plan)
        if plan.status in (PlanStatus.IN_PROGRESS, PlanStatus.CLOSED)
        else None,
        step_form=forms.get("step_form") or StepForm(formdata=None),
        return_form=forms.get("return_form") or ReturnForm(formdata=None),
        close_form=forms.get("close_form") or CloseForm(formdata=None),
        task_form=task_form,
        level_form=level_form,
        feedback_form=FeedbackForm(formdata=None),
        progress_form=forms.get("progress_form") or ProgressForm(formdata=None),
        status_code=status_code,
    )


@bp.route("/plans/<int:plan_id>")
@require(PLANS_VIEW)
def detail(plan_id):
    return _detail_page(services.get_plan(plan_id))


STEP_FORMS = {Step.RETURN: ("return_form", ReturnForm), Step.CLOSE: ("close_form", CloseForm)}


@bp.route("/plans/<int:plan_id>/<step>", methods=["POST"])
@require(PLANS_VIEW)
def take_step(plan_id, step):
    """Submit, review, return, approve, start or close: the role and the state are checked by the
    service (403, 409); a return without a comment or a close without a report is a 422."""
    if step not in set(Step):
        abort(404)
    plan = services.get_plan(plan_id)
    name, form_class = STEP_FORMS.get(Step(step), ("step_form", StepForm))
    form = form_class()
    if not form.validate_on_submit():
        return _detail_page(plan, status_code=422, **{name: form})
    comments = form.comments() if isinstance(form, ReturnForm) else None
    report = (
        {field: form[field].data for field in ("achievements", "problems", "improvements", "next_steps")}
        if isinstance(form, CloseForm)
        else None
    )
    comment = (form.comment.data or "") if "comment" in form else ""
    try:
        services.take_step(
            current_user, plan, Step(step), request_now(), comment=comment, comments=comments, report=report
        )
    except Invalid as refused:
        db.session.rollback()
        form.form_errors.append(refused.message)
        return _detail_page(services.get_plan(plan_id), status_code=422, **{name: form})
    flash(_("方案已%(step)s。", step=labels.STEPS[Step(step)]), "success")
    return redirect(url_for("plans.detail", plan_id=plan_id), code=303)


@bp.route("/plans/<int:plan_id>/levels", methods=["POST"])
@require(PLANS_DRAFT)
def add_level(plan_id):
    plan = services.get_plan(plan_id)
    form = LevelForm()
    form.our_person_id.choices = people_choices(assignable_owners(), blank=True)
    if not form.validate_on_submit():
        return _detail_page(plan, status_code=422, level_form=form)
    values = {
        name: form[name].data
        for name in (
            "level",
            "person",
            "influence",
            "competitor_relation",
            "our_person_id",
            "measures",
            "schedule",
            "notes",
        )
    }
    services.add_level(current_user, plan, values, request_now())
    return redirect(url_for("plans.detail", plan_id=plan_id, _anchor="plan-levels"), code=303)


@bp.route("/plans/<int:plan_id>/levels/<int:level_id>/delete", methods=["POST"])
@require(PLANS_DRAFT)
def remove_level(plan_id, level_id):
    services.remove_level(current_user, services.get_plan(plan_id), level_id, request_now())
    return redirect(url_for("plans.detail", plan_id=plan_id, _anchor="plan-levels"), code=303)


@bp.route("/plans/<int:plan_id>/tasks", methods=["POST"])
@require(PLANS_DRAFT)
def add_task(plan_id):
    plan = services.get_plan(plan_id)
    form = TaskForm()
    people = {person.id: person for person in services.assignable(assignable_owners())}
    form.assignee_id.choices = people_choices(people.values())
    if not form.validate_on_submit():
        return _detail_page(plan, status_code=422, task_form=form)
    services.add_task(
        current_user, plan, form.title.data, people[form.assignee_id.data], form.due_on.data, request_now()
    )
    flash(_("任务已分配给 %(name)s。", name=people[form.assignee_id.data].display_name), "success")
    return redirect(url_for("plans.detail", plan_id=plan_id, _anchor="plan-tasks"), code=303)


@bp.route("/plans/tasks/<int:task_id>/done", methods=["POST"])
@require(PLANS_VIEW)
def finish_task(task_id):
    task = services.get_task(task_id)
    form = FeedbackForm()
    if not form.validate_on_submit():
        flash(_("请写下任务的完成情况。"), "warning")
        return _detail_page(task.plan, status_code=422)
    services.finish_task(current_user, task, form.feedback.data, request_now())
    flash(_("任务已完成。"), "success")
    return redirect(url_for("plans.detail", plan_id=task.plan_id, _anchor=f"task-{task.id}"), code=303)


@bp.route("/plans/<int:plan_id>/progress", methods=["POST"])
@require(PLANS_VIEW)
def report_progress(plan_id):
    plan = services.get_plan(plan_id)
    form = ProgressForm()
    if not form.validate_on_submit():
        return _detail_page(plan, status_code=422, progress_form=form)
    services.report_progress(current_user, plan, form.text.data, request_now())
    flash(_("本周进展已汇报。"), "success")
    return redirect(url_for("plans.detail", plan_id=plan_id), code=303)
