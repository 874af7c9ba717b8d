"""/gifts/campaigns: campaigns with their limits, and their lists compiled with the plan's reason
for every refusal (422 beside the field, and as the form changes)."""

from collections import Counter
from decimal import Decimal

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from crmweb.auth.audit import record_audit
from crmweb.auth.permissions import (
    GIFTS_LIST_CLIENTS,
    GIFTS_LIST_PROSPECTS,
    GIFTS_REPORTS,
    GIFTS_SEND,
    GIFTS_VIEW,
    require,
)
from crmweb.clients import labels as client_labels
from crmweb.clients.picker import client_choices
from crmweb.clients.search import SearchFilters, matching_ids
from crmweb.clients.services import labels as all_labels
from crmweb.errors import Conflict, Invalid
from crmweb.extensions import db
from crmweb.gifts import approvals, bp, campaigns, labels, reports, rules, services
from crmweb.gifts.campaigns import Limits
from crmweb.gifts.forms import (
    AllocationForm,
    BulkAllocationForm,
    CampaignForm,
    ListDecisionForm,
    SendGiftForm,
)
from crmweb.gifts.models import Allocation
from crmweb.gifts.rules import Category
from crmweb.htmx import render
from crmweb.messages import labels as message_labels
from crmweb.messages import templates as message_templates
from crmweb.timeutil import local_zone, request_now


@bp.route("/gifts/campaigns")
@require(GIFTS_VIEW)
def campaign_list():
    return render("gifts/campaigns.html", campaigns=campaigns.campaigns())


@bp.route("/gifts/campaigns/new", methods=["GET", "POST"])
@require(GIFTS_LIST_CLIENTS)
def new_campaign():
    form = CampaignForm()
    if not form.validate_on_submit():
        return render("gifts/campaign_new.html", form=form, status_code=422 if form.is_submitted() else 200)
    now = request_now()
    starts_on, ends_on = form.starts_on.data, form.ends_on.data
    if form.festival.data and not (starts_on and ends_on):  # from the calendar: the festival's dates
        year = now.astimezone(local_zone()).year
        starts_on, ends_on = campaigns.festival_period(form.festival.data, year)
        if ends_on < now.astimezone(local_zone()).date():
            starts_on, ends_on = campaigns.festival_period(form.festival.data, year + 1)
    limits = {
        category: Limits(form[f"{category}_cap"].data or Decimal(0), form[f"{category}_quota"].data or 0)
        for category in Category
    }
    try:
        campaign = campaigns.create_campaign(
            current_user,
            form.name.data,
            starts_on,
            ends_on,
            form.budget.data,
            limits,
            form.festival.data or "",
            now,
        )
    except Conflict as taken:
        form.name.errors = [taken.message]
        return render("gifts/campaign_new.html", form=form, status_code=409)
    flash(_("已新建馈赠活动。"), "success")
    return redirect(url_for("gifts.campaign", campaign_id=campaign.id), code=303)


def _allocation_form() -> AllocationForm:
    form = AllocationForm()
    form.gift_id.choices = [
        SelectChoice(
            gift.id, f"{gift.name}（¥{gift.unit_value}，可用 {rules.available(gift.stock, gift.reserved)}）"
        )
        for gift in services.catalogue()
    ]
    return form


def _campaign_page(campaign, form=None, status_code=200, refusal=None):
    listed = campaigns.allocations(campaign)
    statuses = {
        row.category: Counter(a.status for a in listed if a.category == row.category)
        for row in campaign.categories
    }
    return render(
        "gifts/campaign.html",
        campaign=campaign,
        allocations=listed,
        form=form or _allocation_form(),
        labels=labels,
        client_labels=client_labels,
        rules=rules,
        refusal=refusal,
        statuses=statuses,
        decision=ListDecisionForm(formdata=None),
        send_form=_send_form(formdata=None),
        status_code=status_code,
    )


@bp.route("/gifts/campaigns/<int:campaign_id>")
@require(GIFTS_VIEW)
def campaign(campaign_id):
    return _campaign_page(campaigns.get_campaign(campaign_id))


@bp.route("/gifts/campaigns/<int:campaign_id>/allocations", methods=["POST"])
@require(GIFTS_LIST_PROSPECTS)
def allocate(campaign_id):
    chosen = campaigns.get_campaign(campaign_id)
    form = _allocation_form()
    client = campaigns.find_client(form.client_id.data)
    if not form.validate_on_submit() or client is None:
        if client is None and not form.client_id.errors:
            form.client_id.errors = [_("请选择客户。")]
        return _campaign_page(chosen, form, status_code=422)
    try:
        campaigns.allocate(
            current_user,
            chosen,
            client,
            campaigns.recipient(client),
            services.get_gift(form.gift_id.data),
            form.quantity.data,
            request_now(),
            Category(form.category.data) if form.category.data else None,
            form.override_reason.data or "",
        )
    except Invalid as refused:
        form.client_id.errors = [refused.message]
        return _campaign_page(campaigns.get_campaign(campaign_id), form, status_code=422)
    flash(_("已列入名单。"), "success")
    return redirect(url_for("gifts.campaign", campaign_id=chosen.id), code=303)


@bp.route("/gifts/clients")
@require(GIFTS_LIST_PROSPECTS)
def pick_client():
    """Search as you type for the client of an allocation."""
    return client_choices()


LIST_ACTIONS = {"submit": approvals.submit, "approve": approvals.approve}


@bp.route("/gifts/campaigns/<int:campaign_id>/lists/<category>/<action>", methods=["POST"])
@require(GIFTS_VIEW)
def list_action(campaign_id, category, action):
    """Submit a category's list, approve it or return it with a comment (each by its own role)."""
    if category not in set(Category) or action not in (*LIST_ACTIONS, "return"):
        abort(404)
    chosen = campaigns.get_campaign(campaign_id)
    form = ListDecisionForm()
    if not form.validate_on_submit():
        return _campaign_page(chosen, status_code=422)
    now = request_now()
    try:
        if action == "return":
            approvals.send_back(current_user, chosen, Category(category), form.comment.data or "", now)
        else:
            LIST_ACTIONS[action](current_user, chosen, Category(category), now)
    except Invalid as refused:
        return _campaign_page(campaigns.get_campaign(campaign_id), status_code=422, refusal=refused.message)
    flash(_("名单已更新。"), "success")
    return redirect(url_for("gifts.campaign", campaign_id=campaign_id), code=303)


def _send_form(**options) -> SendGiftForm:
    form = SendGiftForm(**options)
    form.greeting_id.choices = [SelectChoice("", _("不发送"))] + [
        SelectChoice(template.id, f"{template.name}（{message_labels.CHANNELS[template.channel]}）")
        for template in message_templates.all_templates()
    ]
    return form


@bp.route("/gifts/allocations/<int:allocation_id>/send", methods=["POST"])
@require(GIFTS_SEND)
def send(allocation_id):
    """Marked sent, optionally with a greeting to the recipient through the messages area."""
    allocation = db.get_or_404(Allocation, allocation_id)
    form = _send_form()
    if not form.validate_on_submit():
        return _campaign_page(campaigns.get_campaign(allocation.campaign_id), status_code=422)
    greeting = message_templates.get_template(form.greeting_id.data) if form.greeting_id.data else None
    not_greeted = approvals.mark_sent(
        current_user, allocation, form.delivery.data or "", request_now(), greeting
    )
    flash(_("已登记发放。"), "success")
    if not_greeted:
        flash(_("问候未发送：%(reason)s", reason=not_greeted), "warning")
    return redirect(url_for("gifts.campaign", campaign_id=allocation.campaign_id), code=303)


@bp.route("/gifts/campaigns/<int:campaign_id>/report")
@require(GIFTS_REPORTS)
def report(campaign_id):
    """Spend against budget, caps and quotas; `?format=xlsx` the same as a workbook."""
    chosen = campaigns.get_campaign(campaign_id)
    figures = reports.campaign_report(chosen)
    if request.args.get("format") == "xlsx":
        record_audit(
            "gifts.report_exported",
            target_type="campaign",
            target_id=chosen.id,
            actor=current_user,
            now=request_now(),
        )
        db.session.commit()
        response = current_app.response_class(reports.to_xlsx(figures), mimetype=XLSX)
        response.headers["Content-Disposition"] = f'attachment; filename="gift-campaign-{chosen.id}.xlsx"'
        return response
    return render("gifts/report.html", report=figures, labels=labels)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/gifts/campaigns/<int:campaign_id>/check", methods=["POST"])
@require(GIFTS_LIST_PROSPECTS)
def check_allocation(campaign_id):
    """As the form changes: would the plan take this gift for this client, and if not why (htmx)."""
    chosen = campaigns.get_campaign(campaign_id)
    form = _allocation_form()
    form.validate()
    client = campaigns.find_client(form.client_id.data)
    gift = services.find_gift(form.gift_id.data)
    verdict = None
    if client is not None and gift is not None and form.quantity.data and form.quantity.data > 0:
        category = Category(form.category.data) if form.category.data in set(Category) else None
        category = category or rules.category_of(client.stage, client.tier, client.vip_status)
        refused = campaigns.refusal_for(
            chosen, client, campaigns.recipient(client), gift, form.quantity.data, category
        )
        verdict = str(labels.REFUSALS[refused]) if refused else ""
    return render("gifts/_allocation_check.html", "gifts/_allocation_check.html", verdict=verdict)


@bp.route("/gifts/campaigns/<int:campaign_id>/allocations/bulk", methods=["POST"])
@require(GIFTS_LIST_PROSPECTS)
def allocate_bulk(campaign_id):
    """Everyone a search, a group or a tier finds, each by the plan's rules."""
    chosen = campaigns.get_campaign(campaign_id)
    form = BulkAllocationForm()
    form.gift_id.choices = _allocation_form().gift_id.choices
    form.label_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(label.id, label.name) for label in all_labels()
    ]
    filters = SearchFilters(
        query=(form.q.data or "").strip()[:100], tier=form.tier.data or "", label_id=form.label_id.data
    )
    if not form.validate_on_submit() or not (filters.query or filters.tier or filters.label_id):
        flash(_("请选择礼品，并给出客户搜索、分组或等级。"), "warning")
        return _campaign_page(chosen, status_code=422)
    ids = matching_ids(filters, request_now(), limit=BULK_LIMIT)
    result = campaigns.allocate_many(
        current_user, chosen, ids, services.get_gift(form.gift_id.data), form.quantity.data, request_now()
    )
    reasons = "；".join(f"{reason} {count}" for reason, count in result.refused.items())
    flash(
        _("已列入 %(added)s 个客户。", added=result.added)
        + (_("未列入：%(reasons)s", reasons=reasons) if reasons else ""),
        "success" if not reasons else "warning",
    )
    return redirect(url_for("gifts.campaign", campaign_id=campaign_id), code=303)


BULK_LIMIT = 2000


@bp.route("/gifts/reports/clients")
@require(GIFTS_REPORTS)
def client_year_report():
    """Each client's gifts in a year beside its purchases that year; `?format=xlsx` as a workbook."""
    this_year = request_now().astimezone(local_zone()).year
    year = request.args.get("year", this_year, type=int)
    if not 2000 <= year <= this_year + 1:
        raise Invalid(_("年份无效。"), status_code=400)
    rows = reports.client_year(year)
    record_audit(
        "gifts.client_year_read",
        target_type="report",
        target_id=year,
        detail=f"format={request.args.get('format', 'html')[:10]}",
        actor=current_user,
        now=request_now(),
    )
    db.session.commit()
    if request.args.get("format") == "xlsx":
        response = current_app.response_class(reports.client_year_xlsx(year, rows), mimetype=XLSX)
        response.headers["Content-Disposition"] = f'attachment; filename="gifts-by-client-{year}.xlsx"'
        return response
    return render("gifts/client_year.html", rows=rows, year=year, years=range(this_year, this_year - 6, -1),
                  client_labels=client_labels)
