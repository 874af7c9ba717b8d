"""/clients/<id>: one client's page — sections edited in place, contacts, the timeline recorded
and corrected, tier, VIP, owner, labels, merging; confidential sections behind the rules."""
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from crmweb.auth.models import User
from crmweb.auth.permissions import (
    CLIENTS_APPROVE_VIP,
    CLIENTS_EDIT,
    CLIENTS_MERGE,
    CLIENTS_REASSIGN,
    CLIENTS_RECORD,
    CLIENTS_SET_TIER,
    CLIENTS_VIEW,
    require,
    role_can,
    signed_in_user,
)
from crmweb.clients import access, bp, duplicates, forms, labels, rules, services, timeline
from crmweb.clients.models import Contact, Interaction, ServiceEvent
from crmweb.clients.page import client_page, section_view
from crmweb.clients.sections import SECTIONS, contact_version
from crmweb.errors import Invalid, NotAllowed
from crmweb.extensions import db
from crmweb.htmx import is_fragment_request, render
from crmweb.ids import whole_number
from crmweb.timeutil import local_zone, request_now


@bp.route("/clients/<int:client_id>/merge", methods=["POST"])
@require(CLIENTS_MERGE)
def merge(client_id):
    """Merge another archive of the same client into this one."""
    keep = access.get_client(client_id)
    other_id = whole_number(request.form.get("other_id"))
    gone = access.get_client(other_id) if other_id else None
    if gone is None or not forms.MergeForm().validate_on_submit():
        return page_with_errors(keep, merge_error=_("请选择要合并进来的客户。"))
    name = gone.name
    duplicates.merge_clients(current_user, keep, gone, request_now())
    flash(_("已把“%(name)s”合并到本客户：联系人、交流记录和事件都已移过来。", name=name), "success")
    return redirect(url_for("clients.detail", client_id=keep.id))


def _detail_context(client, **extra):
    """The client page: what the person may see (one service call), and the forms on it. The
    folded forms (record a touch or an event, add a contact) come with it only when open; else
    the page fetches them as they are opened (most visits only read, and they were most of the
    page's work)."""
    page = client_page(signed_in_user(), client, request_now())
    context = dict(
        vars(page), sections=[s for s in SECTIONS.values() if s.applies_to(client)], labels=labels,
        interaction_form=None, event_form=None, contact_form=None, recording=None,
        reason_form=forms.ReasonForm(), vip_form=forms.ReasonForm(),
        # The manage card's forms, for who may use them.
        tier_form=forms.TierForm(tier=client.tier) if role_can(current_user.role, CLIENTS_SET_TIER) else None,
        owner_form=_owner_form(client) if role_can(current_user.role, CLIENTS_REASSIGN) else None,
        labels_form=_labels_form(client) if page.may_edit else None,
        editing=None, section_form=None, version=None, conflict=None, correcting=None, correction_form=None,
        contact_duplicates=[], void_invalid=None)
    context.update(extra)
    return context


def _folded_form(client, name):
    """A folded form of the client page, blank, for who may fill it in; None for another name."""
    if name == "interaction" and role_can(current_user.role, CLIENTS_RECORD):
        return _interaction_form(client, occurred_at=_local_now())
    if name == "event" and role_can(current_user.role, CLIENTS_RECORD):
        return forms.EventForm(occurred_at=_local_now())
    if name == "contact" and access.can_edit(current_user, client):
        return forms.ContactForm()
    return None


def _unfolded(name, form) -> dict:
    """The page's context with this folded form open."""
    if name == "contact":
        return dict(contact_form=form, contact_editing="new")
    return {f"{name}_form": form, "recording": name}


def _interaction_form(client, **kwargs):
    form = forms.InteractionForm(**kwargs)
    form.contact_id.choices = [SelectChoice("", "—")] + [SelectChoice(c.id, c.name)
                                                         for c in client.contacts]
    return form


def _owner_form(client):
    form = forms.OwnerForm(owner_id=client.owner_id)
    form.owner_id.choices = [SelectChoice(u.id, u.display_name) for u in services.assignable_owners()]
    return form


def _labels_form(client):
    return forms.LabelsForm(
        groups="，".join(label.name for label in client.labels if label.kind == "group"),
        tags="，".join(label.name for label in client.labels if label.kind == "tag"))


@bp.route("/clients/<int:client_id>")
@require(CLIENTS_VIEW)
def detail(client_id):
    client = access.get_client(client_id)
    if not access.can_see_archive(current_user, client, request_now()):
        # Another owner's client for sales: what a list shows, and the way to ask for more.
        return render("clients/restricted.html", client=client, labels=labels,
                      vip_status=rules.shown_vip_status(client.vip_status, False),
                      reason_form=forms.ReasonForm(),
                      access_pending=access.access_pending(current_user.id, client.id))
    folded = request.args.get("form")
    if folded is None:
        return render("clients/detail.html", **_detail_context(client))
    form = _folded_form(client, folded)
    if form is None:
        abort(404)
    if is_fragment_request():  # the fields of a folded form, as it is opened
        return render("clients/_folded_fields.html", client=client, folded=folded, form=form)
    return render("clients/detail.html", **_detail_context(client, **_unfolded(folded, form)))


def _section_or_404(name):
    section = SECTIONS.get(name)
    if section is None:
        abort(404)
    return section


def _render_section(client, section, form=None, status_code=200, conflict=None, view=None):
    """One section of the client page: its fragment for htmx, else the whole page around it."""
    view = view or section_view(current_user, client, section, request_now())
    # The version the form was opened on travels with it; after a conflict, the one now stored.
    version = section.version(view.source) if form is None or conflict or request.method == "GET" \
        else request.form.get("version", "")
    editing = dict(editing=section.name if form else None, section_form=form, version=version,
                   conflict=conflict)
    if not is_fragment_request():
        return render("clients/detail.html", status_code=status_code, **_detail_context(client, **editing))
    return render("clients/detail.html", "clients/_section.html", status_code=status_code, client=client,
                  section=section, reason_form=forms.ReasonForm(), **vars(view), **editing)


@bp.route("/clients/<int:client_id>/sections/<name>")
@require(CLIENTS_VIEW)
def section(client_id, name):
    client = access.get_client(client_id)
    return _render_section(client, _section_or_404(name))


@bp.route("/clients/<int:client_id>/sections/<name>/edit")
@require(CLIENTS_EDIT)
def edit_section(client_id, name):
    client = access.get_client(client_id)
    section = _section_or_404(name)
    access.require_edit(current_user, client)
    view = section_view(current_user, client, section, request_now())
    return _render_section(client, section, section.form(obj=view.source), view=view)


@bp.route("/clients/<int:client_id>/sections/<name>", methods=["POST"])
@require(CLIENTS_EDIT)
def save_section(client_id, name):
    client = access.get_client(client_id)
    section = _section_or_404(name)
    access.require_edit(current_user, client)
    form = section.form()
    if not form.validate_on_submit():
        return _render_section(client, section, form, status_code=422)
    try:
        changed = services.save_section(current_user, client, section, form.values(),
                                        request.form.get("version"), request_now())
    except services.EditConflict as conflict:
        db.session.rollback()
        return _render_section(client, section, form, status_code=409, conflict=conflict)
    if changed:
        flash(_("已保存“%(section)s”。", section=section.title), "success")
    if not is_fragment_request():
        return redirect(url_for("clients.detail", client_id=client.id))
    return _render_section(client, section)


@bp.route("/clients/<int:client_id>/contacts", methods=["POST"])
@bp.route("/clients/<int:client_id>/contacts/<int:contact_id>", methods=["POST"])
@require(CLIENTS_EDIT)
def save_contact(client_id, contact_id=None):
    client = access.get_client(client_id)
    access.require_edit(current_user, client)  # refused before its form is read, as its page is
    contact = None
    if contact_id is not None:
        contact = db.session.get(Contact, contact_id)
        if contact is None or contact.client_id != client.id:
            abort(404)
    form = forms.ContactForm()
    if not form.validate_on_submit():
        return render("clients/detail.html", status_code=422, **_detail_context(
            client, contact_form=form, contact_editing=contact_id or "new",
            contact_seen=request.form.get("version")))
    try:
        services.save_contact(current_user, client, contact, form.values(), request_now(),
                              request.form.get("version"), request.form.get("duplicate_reason", "")[:200])
    except duplicates.DuplicateFound as found:
        return render("clients/detail.html", status_code=422, **_detail_context(
            client, contact_form=form, contact_editing="new", contact_duplicates=found.duplicates))
    except services.EditConflict as conflict:
        db.session.rollback()
        return render("clients/detail.html", status_code=409, **_detail_context(
            client, contact_form=form, contact_editing=contact_id, contact_conflict=conflict,
            contact_seen=contact_version(db.session.get(Contact, contact_id))))
    flash(_("已保存联系人 %(name)s。", name=form.name.data), "success")
    return redirect(url_for("clients.detail", client_id=client.id, _anchor="contacts"))


@bp.route("/clients/<int:client_id>/contacts/<int:contact_id>/edit")
@require(CLIENTS_EDIT)
def edit_contact(client_id, contact_id):
    client = access.get_client(client_id)
    access.require_edit(current_user, client)
    contact = db.session.get(Contact, contact_id)
    if contact is None or contact.client_id != client.id:
        abort(404)
    return render("clients/detail.html", **_detail_context(
        client, contact_form=forms.ContactForm(obj=contact), contact_editing=contact.id,
        contact_seen=contact_version(contact)))


@bp.route("/clients/<int:client_id>/interactions", methods=["POST"])
@require(CLIENTS_RECORD)
def record_interaction(client_id):
    client = access.get_client(client_id)
    access.require_archive(current_user, client, request_now())
    form = _interaction_form(client)
    if not form.validate_on_submit():
        return render("clients/detail.html", status_code=422,
                      **_detail_context(client, interaction_form=form, recording="interaction"))
    values = form.values()
    values["occurred_at"] = _local_to_utc(values["occurred_at"])
    timeline.record_interaction(current_user, client, values, request_now())
    flash(_("已记录交流。"), "success")
    return redirect(url_for("clients.detail", client_id=client.id, _anchor="timeline"))


@bp.route("/clients/<int:client_id>/events", methods=["POST"])
@require(CLIENTS_RECORD)
def record_event(client_id):
    client = access.get_client(client_id)
    access.require_archive(current_user, client, request_now())
    form = forms.EventForm()
    if not form.validate_on_submit():
        return render("clients/detail.html", status_code=422,
                      **_detail_context(client, event_form=form, recording="event"))
    values = form.values()
    values["occurred_at"] = _local_to_utc(values["occurred_at"])
    timeline.record_event(current_user, client, values, request_now())
    flash(_("已记录事件。"), "success")
    return redirect(url_for("clients.detail", client_id=client.id, _anchor="timeline"))


CORRECTABLE = {"interactions": (Interaction, forms.InteractionCorrectionForm),
               "events": (ServiceEvent, forms.EventCorrectionForm)}


def _record_or_404(client, kind: str, record_id: int):
    model, _form = CORRECTABLE[kind]
    record = db.session.get(model, record_id)
    if record is None or record.client_id != client.id:
        abort(404)
    return record


def _correction_form(client, kind: str, **kwargs):
    form = CORRECTABLE[kind][1](**kwargs)
    if kind == "interactions":
        form.contact_id.choices = _interaction_form(client).contact_id.choices
    elif not access.can_read_confidential(current_user, client, request_now()):
        del form.amount  # a sale's amount is the dealings: neither shown to them nor changed by them
    return form


def _local_now():
    """What a recording form proposes for its time: now, as the person's clock shows it."""
    return _local_naive(request_now()).replace(second=0, microsecond=0)


def _local_naive(moment):
    return moment.astimezone(local_zone()).replace(tzinfo=None) if moment else None


@bp.route("/clients/<int:client_id>/interactions/<int:record_id>/edit", defaults={"kind": "interactions"})
@bp.route("/clients/<int:client_id>/events/<int:record_id>/edit", defaults={"kind": "events"})
@require(CLIENTS_RECORD)
def edit_record(client_id, kind, record_id):
    """The timeline entry as a form, to correct what was entered by mistake."""
    client = access.get_client(client_id)
    access.require_archive(current_user, client, request_now())
    record = _record_or_404(client, kind, record_id)
    if not timeline.can_correct(current_user, record, request_now()):
        raise NotAllowed(_("记录人可在一天内更正或作废自己的记录，之后请找主管。"))
    form = _correction_form(client, kind, obj=record)
    form.occurred_at.data = _local_naive(record.occurred_at)  # people read and type local time
    return render("clients/detail.html", **_detail_context(client, correcting=(kind, record.id),
                                                           correction_form=form))


@bp.route("/clients/<int:client_id>/interactions/<int:record_id>", methods=["POST"],
          defaults={"kind": "interactions"})
@bp.route("/clients/<int:client_id>/events/<int:record_id>", methods=["POST"], defaults={"kind": "events"})
@require(CLIENTS_RECORD)
def correct_record(client_id, kind, record_id):
    client = access.get_client(client_id)
    access.require_archive(current_user, client, request_now())
    record = _record_or_404(client, kind, record_id)
    form = _correction_form(client, kind)
    if not form.validate_on_submit():
        return render("clients/detail.html", status_code=422, **_detail_context(
            client, correcting=(kind, record.id), correction_form=form))
    values = form.values()
    reason = values.pop("reason")
    values["occurred_at"] = _local_to_utc(values["occurred_at"])
    timeline.correct_record(current_user, client, record, values, reason, request_now())
    flash(_("已更正记录。"), "success")
    return redirect(url_for("clients.detail", client_id=client.id, _anchor="timeline"))


@bp.route("/clients/<int:client_id>/interactions/<int:record_id>/void", methods=["POST"],
          defaults={"kind": "interactions"})
@bp.route("/clients/<int:client_id>/events/<int:record_id>/void", methods=["POST"],
          defaults={"kind": "events"})
@require(CLIENTS_RECORD)
def void_record(client_id, kind, record_id):
    client = access.get_client(client_id)
    access.require_archive(current_user, client, request_now())
    record = _record_or_404(client, kind, record_id)
    form = forms.ReasonForm()
    if not form.validate_on_submit():
        return page_with_errors(client, void_invalid=(kind, record.id))
    timeline.void_record(current_user, client, record, form.reason.data, request_now())
    flash(_("已作废记录，相关数字已重新计算。"), "success")
    return redirect(url_for("clients.detail", client_id=client.id, _anchor="timeline"))


def _local_to_utc(naive_local):
    """What people type is Shanghai time (TZ_NAME)."""
    return naive_local.replace(tzinfo=local_zone())


def page_with_errors(client, **invalid_forms):
    """A small form of the client page that failed: the page again, 422, messages beside the fields."""
    if not access.can_see_archive(current_user, client, request_now()):
        return render("clients/restricted.html", client=client, labels=labels, status_code=422,
                      vip_status=rules.shown_vip_status(client.vip_status, False),
                      access_pending=access.access_pending(current_user.id, client.id), **invalid_forms)
    return render("clients/detail.html", status_code=422, **_detail_context(client, **invalid_forms))


@bp.route("/clients/<int:client_id>/tier", methods=["POST"])
@require(CLIENTS_SET_TIER)
def set_tier(client_id):
    client = access.get_client(client_id)
    form = forms.TierForm()
    if not form.validate_on_submit():
        return page_with_errors(client, tier_form=form)
    services.set_tier(current_user, client, form.tier.data, request_now())
    flash(_("客户等级已改为 %(tier)s。", tier=labels.TIER[form.tier.data]), "success")
    return redirect(url_for("clients.detail", client_id=client.id))


@bp.route("/clients/<int:client_id>/vip/apply", methods=["POST"])
@require(CLIENTS_EDIT)
def apply_vip(client_id):
    client = access.get_client(client_id)
    form = forms.ReasonForm()
    if not form.validate_on_submit():
        return page_with_errors(client, vip_form=form)
    services.apply_for_vip(current_user, client, form.reason.data, request_now())
    flash(_("已提交 VIP 申请，等待经理审批。"), "success")
    return redirect(url_for("clients.detail", client_id=client.id))


@bp.route("/clients/<int:client_id>/vip/<decision>", methods=["POST"])
@require(CLIENTS_APPROVE_VIP)
def decide_vip(client_id, decision):
    if decision not in ("approve", "refuse"):
        abort(404)
    client = access.get_client(client_id)
    services.decide_vip(current_user, client, decision == "approve", request_now())
    flash(_("已批准 VIP。") if decision == "approve" else _("已拒绝 VIP 申请。"), "success")
    return redirect(url_for("clients.detail", client_id=client.id))


@bp.route("/clients/<int:client_id>/owner", methods=["POST"])
@require(CLIENTS_REASSIGN)
def reassign_owner(client_id):
    client = access.get_client(client_id)
    form = _owner_form(client)
    owner = db.session.get(User, form.owner_id.data) if form.validate_on_submit() else None
    try:
        if owner is None:
            raise Invalid(_("请选择负责人。"))
        services.reassign_owner(current_user, client, owner, request_now())
    except Invalid as problem:
        form.owner_id.errors = [str(problem)]
        return page_with_errors(client, owner_form=form)
    flash(_("负责人已改为 %(name)s。", name=owner.display_name), "success")
    return redirect(url_for("clients.detail", client_id=client.id))


@bp.route("/clients/<int:client_id>/labels", methods=["POST"])
@require(CLIENTS_EDIT)
def set_labels(client_id):
    client = access.get_client(client_id)
    form = forms.LabelsForm()
    if not form.validate_on_submit():
        return page_with_errors(client, labels_form=form)
    split = lambda text: (text or "").replace("，", ",").split(",")  # noqa: E731
    services.set_labels(current_user, client, {"group": split(form.groups.data),
                                               "tag": split(form.tags.data)}, request_now())
    flash(_("已更新分组和标签。"), "success")
    return redirect(url_for("clients.detail", client_id=client.id))
