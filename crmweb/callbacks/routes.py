"""/callbacks: my calls to make (and, for supervisors, everyone's), a call made with its script,
retried or rescheduled; the rules table; campaigns."""
from datetime import timedelta

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from crmweb.auth.permissions import CALLBACKS_RULES, CALLBACKS_TEAM, CALLBACKS_VIEW, can, require
from crmweb.bookings.forms import people_choices
from crmweb.callbacks import bp, campaigns, labels, services
from crmweb.callbacks.forms import (
    AssignForm,
    CallbackSettingsForm,
    CampaignForm,
    RescheduleForm,
    ResultForm,
    RuleForm,
)
from crmweb.callbacks.models import CallbackRule
from crmweb.clients import labels as client_labels
from crmweb.clients.services import assignable_owners
from crmweb.errors import Invalid, NotAllowed
from crmweb.extensions import db
from crmweb.htmx import render
from crmweb.ids import whole_number
from crmweb.messages.rules import salutation
from crmweb.redirects import local_target
from crmweb.settings import change_settings, get_setting
from crmweb.timeutil import local_zone, request_now

UPCOMING_DAYS = 14


def _today():
    return request_now().astimezone(local_zone()).date()


@bp.route("/callbacks")
@require(CALLBACKS_VIEW)
def index():
    """Due and overdue first, then the next two weeks; supervisors choose whose (or everyone's)."""
    today = _today()
    team = can(CALLBACKS_TEAM)
    who = request.args.get("assignee", "")
    everyone = team and who == "all"
    person = whole_number(who) if team and who not in ("", "all") else current_user.id
    listed = services.open_callbacks(person, today, today + timedelta(days=UPCOMING_DAYS), everyone=everyone)
    return render(
        "callbacks/index.html", "callbacks/_table.html", rows=services.rows(listed, today), today=today,
        team=team, who=who, people=assignable_owners() if team else [], labels=labels,
        by_person=services.overdue_by_person(request_now()) if team else [],
        done=services.recently_done(current_user.id))


def _page(callback, form=None, reschedule_form=None, status_code=200):
    people = assignable_owners()
    assign_form = AssignForm(formdata=None, assignee_id=callback.assignee_id)
    assign_form.assignee_id.choices = people_choices(people)
    contact = callback.contact or (callback.client.contacts[0] if callback.client.contacts else None)
    greeting = labels.GREETING % {
        "company": get_setting("callbacks.company_name"), "me": current_user.display_name,
        "salutation": salutation(contact.name, contact.position) if contact else _("您")}
    return render(
        "callbacks/detail.html", callback=callback, contact=contact, greeting=greeting,
        script=labels.SCRIPTS[callback.content_type], labels=labels, client_labels=client_labels,
        form=form or ResultForm(formdata=None),
        reschedule_form=reschedule_form or RescheduleForm(formdata=None),
        assign_form=assign_form, may_work=services.may_work_on(current_user, callback),
        timing=services.rows([callback], _today())[0].timing,
        back=local_target(request.values.get("next"), url_for("callbacks.index")), status_code=status_code)


def _callback_for_work(callback_id):
    callback = services.get_callback(callback_id)
    if not services.may_work_on(current_user, callback):
        raise NotAllowed(_("这条回访分配给了别人。"))
    return callback


@bp.route("/callbacks/<int:callback_id>")
@require(CALLBACKS_VIEW)
def detail(callback_id):
    """The call: whom to ring, the greeting and the script, and the result when it is made."""
    return _page(_callback_for_work(callback_id))


@bp.route("/callbacks/<int:callback_id>/result", methods=["POST"])
@require(CALLBACKS_VIEW)
def record(callback_id):
    callback = _callback_for_work(callback_id)
    form = ResultForm()
    if not form.validate_on_submit():
        return _page(callback, form=form, status_code=422)
    call_at = form.call_at.data.replace(tzinfo=local_zone()) if form.call_at.data else None
    result = services.Result(outcome=form.outcome.data, satisfaction=form.satisfaction.data,
                             needs=form.needs.data or "", notes=form.notes.data or "",
                             follow_up_on=form.follow_up_on.data, call_at=call_at)
    try:
        services.record_result(current_user, callback, result, request_now())
    except Invalid as refused:
        db.session.rollback()
        beside = form.satisfaction if form.outcome.data == "reached" else form.call_at
        beside.errors = [refused.message]
        return _page(services.get_callback(callback_id), form=form, status_code=422)
    flash({"reached": _("回访已记录，并记入客户时间线。"), "no_answer": _("已记下无人接听。"),
           "call_back": _("已按客户约定的时间改期。")}[form.outcome.data], "success")
    return redirect(local_target(request.form.get("next"), url_for("callbacks.index")), code=303)


@bp.route("/callbacks/<int:callback_id>/reschedule", methods=["POST"])
@require(CALLBACKS_VIEW)
def reschedule(callback_id):
    callback = _callback_for_work(callback_id)
    form = RescheduleForm()
    if not form.validate_on_submit():
        return _page(callback, reschedule_form=form, status_code=422)
    try:
        services.reschedule(current_user, callback, form.day.data, form.reason.data, request_now())
    except Invalid as refused:
        db.session.rollback()
        form.day.errors = [refused.message]
        return _page(services.get_callback(callback_id), reschedule_form=form, status_code=422)
    flash(_("已改期。"), "success")
    return redirect(url_for("callbacks.index"), code=303)


@bp.route("/callbacks/<int:callback_id>/assign", methods=["POST"])
@require(CALLBACKS_TEAM)
def assign(callback_id):
    callback = services.get_callback(callback_id)
    form = AssignForm()
    people = {person.id: person for person in assignable_owners()}
    form.assignee_id.choices = people_choices(people.values())
    if not form.validate_on_submit():
        return _page(callback, status_code=422)
    services.reassign(current_user, callback, people[form.assignee_id.data], request_now())
    flash(_("已交给 %(name)s。", name=people[form.assignee_id.data].display_name), "success")
    return redirect(url_for("callbacks.detail", callback_id=callback.id), code=303)


# --- the rules table --------------------------------------------------------------------------


def _rule_form(**options) -> RuleForm:
    form = RuleForm(**options)
    form.assignee_id.choices = [SelectChoice("", _("客户负责人"))] + people_choices(assignable_owners())
    return form


SETTINGS = {"max_tries": "callbacks.max_tries", "company_name": "callbacks.company_name"}


def _rules_page(form=None, settings_form=None, editing=None, status_code=200):
    return render(
        "callbacks/rules.html", rules=services.rules_in_force(request_now()), labels=labels,
        client_labels=client_labels, form=form or _rule_form(formdata=None, obj=editing), editing=editing,
        settings_form=settings_form or CallbackSettingsForm(
            formdata=None, data={name: get_setting(key) for name, key in SETTINGS.items()}),
        status_code=status_code)


@bp.route("/callbacks/rules")
@require(CALLBACKS_RULES)
def rules_page():
    """The table of which events call for which callbacks, and the plan's numbers."""
    editing = db.session.get(CallbackRule, whole_number(request.args.get("edit")) or 0)
    page = _rules_page(editing=editing)
    db.session.commit()  # the company's plan, written on first sight
    return page


@bp.route("/callbacks/rules", methods=["POST"])
@bp.route("/callbacks/rules/<int:rule_id>", methods=["POST"])
@require(CALLBACKS_RULES)
def save_rule(rule_id=None):
    rule = db.get_or_404(CallbackRule, rule_id) if rule_id else None
    form = _rule_form()
    if not form.validate_on_submit():
        return _rules_page(form=form, editing=rule, status_code=422)
    values = {name: form[name].data for name in (
        "event_kind", "starts_after", "ends_after", "unit", "content_type", "assignee_id", "active")}
    values["purpose"] = form.purpose.data.strip()
    try:
        services.save_rule(current_user, rule, values, request_now())
    except Invalid as refused:
        db.session.rollback()
        form.ends_after.errors = [refused.message]
        return _rules_page(form=form, editing=rule, status_code=422)
    flash(_("回访规则已保存。"), "success")
    return redirect(url_for("callbacks.rules_page"), code=303)


@bp.route("/callbacks/settings", methods=["POST"])
@require(CALLBACKS_RULES)
def save_settings():
    form = CallbackSettingsForm()
    if not form.validate_on_submit():
        return _rules_page(settings_form=form, status_code=422)
    change_settings(current_user, "callbacks", {key: form[name].data for name, key in SETTINGS.items()},
                    request_now())
    db.session.commit()
    flash(_("设置已保存。"), "success")
    return redirect(url_for("callbacks.rules_page"), code=303)


# --- campaigns --------------------------------------------------------------------------------


def _campaign_form(**options) -> CampaignForm:
    form = CampaignForm(**options)
    form.assignee_ids.choices = people_choices(assignable_owners())
    return form


@bp.route("/callbacks/campaigns")
@require(CALLBACKS_TEAM)
def campaign_list():
    return render("callbacks/campaigns.html", campaigns=campaigns.all_campaigns(), labels=labels)


def _choice(form: CampaignForm) -> campaigns.Choice:
    return campaigns.Choice(method=form.method.data, figure=form.figure.data or 0, tier=form.tier.data or "",
                            stage=form.stage.data or "")


@bp.route("/callbacks/campaigns/new", methods=["GET", "POST"])
@require(CALLBACKS_TEAM)
def new_campaign():
    form = _campaign_form()
    if request.method == "GET":
        form.opens_on.data = _today()
        form.closes_on.data = _today() + timedelta(days=7)
    if not form.validate_on_submit():
        return render("callbacks/campaign_new.html", form=form, found=None,
                      status_code=422 if request.method == "POST" else 200)
    people = {person.id: person for person in assignable_owners()}
    try:
        campaign, count = campaigns.start_campaign(
            current_user, form.name.data, _choice(form), form.content_type.data, form.purpose.data,
            form.opens_on.data, form.closes_on.data, [people[i] for i in form.assignee_ids.data],
            request_now())
    except Invalid as refused:
        db.session.rollback()
        form.closes_on.errors = [refused.message]
        return render("callbacks/campaign_new.html", form=form, found=None, status_code=422)
    flash(_("回访活动“%(name)s”已发起：%(count)s 个客户。", name=campaign.name, count=count), "success")
    return redirect(url_for("callbacks.campaign_list"), code=303)


@bp.route("/callbacks/campaigns/preview", methods=["POST"])
@require(CALLBACKS_TEAM)
def preview_campaign():
    """As the choice changes: how many clients it finds (htmx)."""
    form = _campaign_form()
    found = None
    if form.figure.validate(form) and form.method.validate(form):
        found = len(campaigns.chosen_clients(_choice(form), request_now(), seed=0))
    return render("callbacks/_campaign_found.html", "callbacks/_campaign_found.html", found=found)
