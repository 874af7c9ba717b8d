"""/activities: client activities and new-product trials planned, invitations sent to a selection,
the day at the door (passes, walk-ins), costs against the budget, feedback and follow-ups, trial
results per product. The invited people's own pages (answer, feedback) are in public_routes.py."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from crmweb.activities import bp, invitations, labels, services
from crmweb.activities.forms import ActivityForm, CheckInForm, CostForm, FeedbackForm, InviteForm, WalkInForm
from crmweb.activities.models import Invitation
from crmweb.auth.permissions import ACTIVITIES_VIEW, require
from crmweb.bookings.services import find_client
from crmweb.clients import labels as client_labels
from crmweb.clients.services import assignable_owners
from crmweb.clients.services import labels as all_labels
from crmweb.errors import DomainError, Invalid
from crmweb.extensions import db
from crmweb.htmx import render
from crmweb.ids import whole_number
from crmweb.messages import sending
from crmweb.messages.labels import EXCLUSIONS
from crmweb.messages.models import MessageTemplate
from crmweb.plans import services as plan_services
from crmweb.timeutil import local_zone, request_now


@bp.route("/activities")
@require(ACTIVITIES_VIEW)
def index():
    past = request.args.get("past") == "1"
    return render(
        "activities/index.html",
        activities=services.activities(upcoming=not past, now=request_now()),
        past=past,
        labels=labels,
    )


def _activity_form(**options) -> ActivityForm:
    form = ActivityForm(**options)
    form.organiser_ids.choices = [SelectChoice(user.id, user.display_name) for user in assignable_owners()]
    form.plan_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(plan.id, plan.title) for plan in plan_services.plans("")
    ]
    return form


def _values(form: ActivityForm) -> dict:
    zone = local_zone()
    return {
        "kind": form.kind.data,
        "title": form.title.data.strip(),
        "starts_at": form.starts_at.data.replace(tzinfo=zone),
        "ends_at": form.ends_at.data.replace(tzinfo=zone),
        "place": form.place.data.strip(),
        "capacity": form.capacity.data,
        "budget": form.budget.data or 0,
        "purpose": (form.purpose.data or "").strip(),
        "plan_id": form.plan_id.data,
        "product": (form.product.data or "").strip(),
        "feedback_due_on": form.feedback_due_on.data,
    }


@bp.route("/activities/new", methods=["GET", "POST"])
@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@require(ACTIVITIES_VIEW)
def edit(activity_id=None):
    activity = services.get_activity(activity_id) if activity_id else None
    services.require_run(current_user, activity)
    form = _activity_form(obj=activity if request.method == "GET" else None)
    if request.method == "GET" and activity is not None:
        form.starts_at.data = activity.starts_at.astimezone(local_zone()).replace(tzinfo=None)
        form.ends_at.data = activity.ends_at.astimezone(local_zone()).replace(tzinfo=None)
        form.organiser_ids.data = [person.id for person in activity.organisers]
    if request.method == "GET" and activity is None:
        form.plan_id.data = whole_number(request.args.get("plan"))
    if form.validate_on_submit():
        try:
            saved = services.save_activity(
                current_user, activity, _values(form), form.organiser_ids.data or [], request_now()
            )
        except Invalid as refused:
            db.session.rollback()
            form.capacity.errors = [refused.message]
        else:
            flash(_("活动已保存。"), "success")
            return redirect(url_for("activities.detail", activity_id=saved.id), code=303)
    return render(
        "activities/form.html", form=form, activity=activity, status_code=422 if form.is_submitted() else 200
    )


def _detail(activity, status_code=200, **forms):
    now = request_now()
    return render(
        "activities/detail.html",
        activity=activity,
        attendance=services.attendance(activity, now),
        costs=services.costs(activity),
        may_run=services.may_run(current_user, activity),
        started=now >= activity.starts_at,
        ended=now >= activity.ends_at,
        on_the_day=activity.starts_at.astimezone(local_zone()).date() == now.astimezone(local_zone()).date(),
        check_in_form=forms.get("check_in_form") or CheckInForm(formdata=None),
        walk_in_form=forms.get("walk_in_form") or WalkInForm(formdata=None),
        cost_form=forms.get("cost_form") or CostForm(formdata=None),
        feedback_form=FeedbackForm(formdata=None),
        arrived=forms.get("arrived"),
        refusal=forms.get("refusal"),
        labels=labels,
        client_labels=client_labels,
        status_code=status_code,
    )


@bp.route("/activities/<int:activity_id>")
@require(ACTIVITIES_VIEW)
def detail(activity_id):
    return _detail(services.get_activity(activity_id))


# --- invitations ---------------------------------------------------------------------------------


def _invite_form(**options) -> InviteForm:
    form = InviteForm(**options)
    form.template_id.choices = [
        SelectChoice(template.id, template.name)
        for template in db.session.query(MessageTemplate).order_by(MessageTemplate.name)
    ]
    form.tier.choices = [SelectChoice("", _("全部"))] + [
        SelectChoice(code, label) for code, label in client_labels.TIER.items()
    ]
    form.vip.choices = [
        SelectChoice("", _("全部")),
        SelectChoice("yes", _("VIP")),
        SelectChoice("no", _("非 VIP")),
    ]
    form.label_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(label.id, label.name) for label in all_labels()
    ]
    return form


@bp.route("/activities/<int:activity_id>/invite", methods=["GET", "POST"])
@require(ACTIVITIES_VIEW)
def invite(activity_id):
    """Invite a selection of clients' contacts (the client list's filters) with a message template
    whose {链接} becomes each person's own reply link."""
    activity = services.get_activity(activity_id)
    services.require_run(current_user, activity)
    form = _invite_form()
    if form.validate_on_submit():
        template = db.get_or_404(MessageTemplate, form.template_id.data)
        selection = sending.Selection(
            query=(form.q.data or "").strip(),
            tier=form.tier.data,
            vip=form.vip.data,
            label_id=form.label_id.data,
        )
        if "{链接}" not in template.body:
            form.template_id.errors = [_("模板里没有 {链接}：受邀人收不到回复链接。")]
        else:
            try:
                done = invitations.invite(
                    current_user, activity, template, selection, form.key_people_only.data, request_now()
                )
            except DomainError as refused:
                db.session.rollback()
                form.q.errors = [refused.message]
            else:
                left_out = "、".join(f"{EXCLUSIONS[why]} {n}" for why, n in done.excluded.items()) or _("无")
                flash(
                    _(
                        "已邀请 %(n)s 人（已在名单上 %(already)s 人；未能发送：%(left)s）。",
                        n=done.invited,
                        already=done.already,
                        left=left_out,
                    ),
                    "success",
                )
                return redirect(url_for("activities.detail", activity_id=activity.id), code=303)
    return render(
        "activities/invite.html",
        activity=activity,
        form=form,
        status_code=422 if form.is_submitted() else 200,
    )


def _invitation(invitation_id) -> Invitation:
    return db.get_or_404(Invitation, invitation_id)


@bp.route("/activities/invitations/<int:invitation_id>/withdraw", methods=["POST"])
@require(ACTIVITIES_VIEW)
def withdraw(invitation_id):
    """Someone with a seat or waiting will not come (they said so): the first waiting moves up."""
    invitation = _invitation(invitation_id)
    promoted = invitations.withdraw(current_user, invitation, request_now())
    flash(
        _("%(name)s 不参加了，%(next)s 转为参加。", name=invitation.name, next=promoted.name)
        if promoted
        else _("%(name)s 不参加了。", name=invitation.name),
        "success",
    )
    return redirect(url_for("activities.detail", activity_id=invitation.activity_id), code=303)


# --- at the door ---------------------------------------------------------------------------------


@bp.route("/activities/<int:activity_id>/check-in", methods=["POST"])
@require(ACTIVITIES_VIEW)
def check_in(activity_id):
    """By the pass code (typed or scanned) at the door of the activity."""
    activity = services.get_activity(activity_id)
    services.require_run(current_user, activity)
    form = CheckInForm()
    if not form.validate_on_submit():
        return _detail(activity, status_code=422, check_in_form=form)
    try:
        arrived = services.check_in_by_pass(current_user, activity, form.code.data, request_now())
    except Invalid as refused:
        return _detail(activity, status_code=refused.status_code, check_in_form=form, refusal=refused.message)
    return _detail(activity, arrived=arrived)


@bp.route("/activities/invitations/<int:invitation_id>/check-in", methods=["POST"])
@require(ACTIVITIES_VIEW)
def check_in_by_name(invitation_id):
    invitation = _invitation(invitation_id)
    try:
        services.check_in(current_user, invitation, request_now())
    except Invalid as refused:
        return _detail(invitation.activity, status_code=refused.status_code, refusal=refused.message)
    return _detail(invitation.activity, arrived=invitation)


@bp.route("/activities/<int:activity_id>/walk-in", methods=["POST"])
@require(ACTIVITIES_VIEW)
def walk_in(activity_id):
    activity = services.get_activity(activity_id)
    services.require_run(current_user, activity)
    form = WalkInForm()
    if not form.validate_on_submit():
        return _detail(activity, status_code=422, walk_in_form=form)
    client = find_client(form.client_id.data)
    if form.client_id.data and client is None:
        form.client_id.errors = [_("找不到该客户。")]
        return _detail(activity, status_code=422, walk_in_form=form)
    arrived = services.walk_in(current_user, activity, form.name.data.strip(), client, request_now())
    return _detail(activity, arrived=arrived)


# --- costs, feedback, trials ---------------------------------------------------------------------


@bp.route("/activities/<int:activity_id>/costs", methods=["POST"])
@require(ACTIVITIES_VIEW)
def add_cost(activity_id):
    activity = services.get_activity(activity_id)
    services.require_run(current_user, activity)
    form = CostForm()
    if not form.validate_on_submit():
        return _detail(activity, status_code=422, cost_form=form)
    services.add_cost(current_user, activity, form.item.data.strip(), form.amount.data, request_now())
    flash(_("费用已登记。"), "success")
    return redirect(url_for("activities.detail", activity_id=activity.id, _anchor="costs"), code=303)


@bp.route("/activities/<int:activity_id>/feedback-requests", methods=["POST"])
@require(ACTIVITIES_VIEW)
def request_feedback(activity_id):
    activity = services.get_activity(activity_id)
    asked = invitations.request_feedback(current_user, activity, request_now())
    flash(_("已请 %(n)s 位参加者反馈意见。", n=asked), "success")
    return redirect(url_for("activities.detail", activity_id=activity.id), code=303)


@bp.route("/activities/<int:activity_id>/products", methods=["POST"])
@require(ACTIVITIES_VIEW)
def send_products(activity_id):
    """A trial's product handed to the participants ticked."""
    activity = services.get_activity(activity_id)
    chosen = [whole_number(raw) for raw in request.form.getlist("invitation_id")]
    sent = invitations.send_products(current_user, activity, [i for i in chosen if i], request_now())
    flash(_("已为 %(n)s 位参与者登记寄出产品，并安排了反馈回访。", n=sent), "success")
    return redirect(url_for("activities.detail", activity_id=activity.id), code=303)


@bp.route("/activities/invitations/<int:invitation_id>/feedback", methods=["POST"])
@require(ACTIVITIES_VIEW)
def record_feedback(invitation_id):
    """What a participant said on a call or at the door, recorded by staff."""
    invitation = _invitation(invitation_id)
    form = FeedbackForm()
    if not form.validate_on_submit():
        flash(_("请选择 1 到 5 分。"), "danger")
        return _detail(invitation.activity, status_code=422)
    invitations.record_feedback(
        current_user,
        invitation,
        form.rating.data,
        (form.feedback.data or "").strip(),
        form.interested.data,
        request_now(),
    )
    flash(_("已登记 %(name)s 的反馈。", name=invitation.name), "success")
    return redirect(url_for("activities.detail", activity_id=invitation.activity_id), code=303)


@bp.route("/activities/trials")
@require(ACTIVITIES_VIEW)
def trials():
    """新品试用结果: per product, who received it, who answered, how they rated it; one product's
    comments."""
    product = request.args.get("product", "")[:100]
    return render(
        "activities/trials.html",
        results=services.trial_results(),
        product=product,
        comments=services.trial_comments(product) if product else [],
    )
