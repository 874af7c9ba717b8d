"""/messages: templates with a live preview, sends to a selection (who is reached and who is left
out, before sending), their progress (a self-polling fragment) and per-recipient status."""
import hmac

import sqlalchemy as sa
from flask import abort, current_app, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from crmweb.auth.permissions import (
    CLIENTS_APPROVE_VIP,
    CLIENTS_EDIT,
    MESSAGES_SEND,
    MESSAGES_SETUP,
    MESSAGES_TEMPLATES,
    public,
    require,
    role_can,
)
from crmweb.clients import labels as client_labels
from crmweb.clients.models import Contact
from crmweb.clients.rules import InvalidPhone, normalise_phone
from crmweb.clients.services import labels as all_labels
from crmweb.extensions import csrf, db
from crmweb.htmx import is_fragment_request, render
from crmweb.messages import bp, callbacks, greetings, labels, optout, rules, sending, setup, templates
from crmweb.messages.forms import GreetingForm, SendForm, TemplateForm, TestMessageForm, UnsubscribeForm
from crmweb.messages.models import MessageSend, OutboxMessage
from crmweb.timeutil import local_zone, request_now

SHOWN_RECIPIENTS = 200


@bp.route("/messages")
@require(MESSAGES_SEND)
def index():
    sends = db.session.scalars(sa.select(MessageSend).order_by(MessageSend.id.desc()).limit(30)).all()
    return render("messages/index.html", sends=sends, templates=templates.all_templates(),
                  progress={send.id: sending.progress(send) for send in sends}, labels=labels)


@bp.route("/messages/templates/new", methods=["GET", "POST"])
@bp.route("/messages/templates/<int:template_id>", methods=["GET", "POST"])
@require(MESSAGES_TEMPLATES)
def template(template_id=None):
    existing = templates.get_template(template_id) if template_id else None
    form = TemplateForm(obj=existing)
    if form.validate_on_submit():
        saved = templates.save_template(current_user, existing, {
            name: form[name].data for name in ("name", "channel", "subject", "body", "provider_template",
                                               "provider_params")}, request_now())
        flash(_("模板已保存。"), "success")
        return redirect(url_for("messages.template", template_id=saved.id), code=303)
    return render("messages/template.html", form=form, existing=existing, preview=_preview(form),
                  labels=labels, status_code=422 if form.is_submitted() else 200)


@bp.route("/messages/templates/preview", methods=["POST"])
@require(MESSAGES_TEMPLATES)
def template_preview():
    """As the template is typed: how a real contact would read it, and what an SMS costs."""
    return render("messages/_preview.html", "messages/_preview.html", preview=_preview(TemplateForm()))


def _preview(form) -> dict:
    channel = form.channel.data or "sms"
    today = request_now().astimezone(local_zone()).date()
    shown = templates.preview(channel, form.subject.data or "", form.body.data or "",
                              templates.sample_contact(channel), today)
    if channel == "sms":
        shown["length"] = rules.sms_length(shown["body"], sending.signature())
        shown["segments"] = rules.sms_segments(shown["body"], sending.signature())
    return shown


def _send_form() -> SendForm:
    form = SendForm()
    form.template_id.choices = [SelectChoice(t.id, f"{t.name}（{labels.CHANNELS[t.channel]}）")
                                for t in templates.all_templates()]
    form.tier.choices = client_labels.choices(client_labels.TIER, blank=True)
    form.vip.choices = client_labels.choices({"vip": client_labels.VIP_STATUS["vip"]}, blank=True)
    form.label_id.choices = [SelectChoice("", "—")] + [SelectChoice(label.id, label.name)
                                                       for label in all_labels()]
    return form


def _selection(form) -> sending.Selection:
    return sending.Selection(
        query=(form.q.data or "").strip(), tier=form.tier.data or "", vip=form.vip.data or "",
        label_id=form.label_id.data,
        birthday_from=form.birthday_from.data.isoformat() if form.birthday_from.data else "",
        birthday_to=form.birthday_to.data.isoformat() if form.birthday_to.data else "")


def _scheduled(form):
    return form.scheduled_at.data.replace(tzinfo=local_zone()) if form.scheduled_at.data else None


@bp.route("/messages/send", methods=["GET", "POST"])
@require(MESSAGES_SEND)
def send():
    form = _send_form()
    if not form.validate_on_submit():
        return render("messages/send.html", form=form, status_code=422 if form.is_submitted() else 200)
    now = request_now()
    scheduled = _scheduled(form)
    if scheduled and scheduled < now:
        form.scheduled_at.errors = [_("定时发送的时间已过去。")]
        return render("messages/send.html", form=form, status_code=422)
    chosen = templates.get_template(form.template_id.data)
    created = sending.create_send(current_user, chosen, _selection(form), scheduled, now)
    flash(_("已提交群发。"), "success")
    return redirect(url_for("messages.send_detail", send_id=created.id), code=303)


@bp.route("/messages/send/preview", methods=["POST"])
@require(MESSAGES_SEND)
def send_preview():
    """Before sending: how many will receive it, who is left out and why, and when it goes."""
    form = _send_form()
    preview = None
    if form.template_id.data and form.validate():
        chosen = templates.get_template(form.template_id.data)
        when = max(_scheduled(form) or request_now(), request_now())
        sees_eligible = role_can(current_user.role, CLIENTS_APPROVE_VIP)
        preview = sending.recipients(chosen, _selection(form), sees_eligible, when)
    fragment = "messages/_send_preview.html"
    return render(fragment, fragment, preview=preview, labels=labels)


@bp.route("/messages/sends/<int:send_id>")
@require(MESSAGES_SEND)
def send_detail(send_id):
    sent = db.get_or_404(MessageSend, send_id)
    counts = sending.progress(sent)
    rows = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.send_id == sent.id)
                              .order_by(OutboxMessage.id).limit(SHOWN_RECIPIENTS)).all()
    return render("messages/send_detail.html", "messages/_progress.html", send=sent, counts=counts,
                  done=sending.is_done(sent, counts), rows=rows, labels=labels)


@bp.route("/messages/sends/<int:send_id>/retry", methods=["POST"])
@require(MESSAGES_SEND)
def retry(send_id):
    sent = db.get_or_404(MessageSend, send_id)
    count = sending.retry_failed(current_user, sent, request_now())
    flash(_("已重新发送 %(count)s 条失败的消息。", count=count), "success")
    return redirect(url_for("messages.send_detail", send_id=sent.id), code=303)


@bp.route("/messages/greetings", methods=["GET", "POST"])
@bp.route("/messages/greetings/<int:rule_id>", methods=["GET", "POST"])
@require(MESSAGES_TEMPLATES)
def greeting_rules(rule_id=None):
    """The greetings that run every day by themselves, and one of them edited."""
    existing = greetings.get_rule(rule_id) if rule_id else None
    form = GreetingForm(obj=existing, data=None if existing else {"tiers": []})
    if existing and not form.is_submitted():
        form.tiers.data = existing.tier_list
    form.template_id.choices = [SelectChoice(t.id, f"{t.name}（{labels.CHANNELS[t.channel]}）")
                                for t in templates.all_templates()]
    form.label_id.choices = [SelectChoice("", "—")] + [SelectChoice(label.id, label.name)
                                                       for label in all_labels()]
    if form.validate_on_submit():
        values = {name: form[name].data for name in ("name", "kind", "festival", "month", "day", "vip_only",
                                                     "label_id", "template_id", "days_before", "send_time",
                                                     "active")}
        values["tiers"] = ",".join(form.tiers.data or [])
        saved = greetings.save_rule(current_user, existing, values, request_now())
        flash(_("问候规则已保存。"), "success")
        return redirect(url_for("messages.greeting_rules", rule_id=saved.id), code=303)
    return render("messages/greetings.html", form=form, existing=existing, rules=greetings.all_rules(),
                  status_code=422 if form.is_submitted() else 200)


@bp.route("/messages/unsubscribe/<token>", methods=["GET", "POST"])
@public
def unsubscribe(token):
    """The link in every email: a page that asks, then records it (a mail scanner that opens the
    link changes nothing). A link nobody made is a 404 that says nothing about anyone."""
    found = optout.read_token(token)
    if found is None:
        abort(404)
    contact, channel = found
    if request.method == "POST" and UnsubscribeForm().validate_on_submit():
        optout.opt_out(contact, channel, "link", request_now())
        return render("messages/unsubscribed.html", done=True, form=None)
    return render("messages/unsubscribed.html", done=False, form=UnsubscribeForm())


@bp.route("/messages/callbacks/<provider>/<kind>/<token>", methods=["POST"])
@public
@csrf.exempt  # called by the provider's servers; the secret in the address is the check
def provider_callback(provider, kind, token):
    """Delivery receipts and replies pushed by Aliyun or Tencent (JSON arrays)."""
    expected = current_app.config["SMS_CALLBACK_TOKEN"]
    if not expected or not hmac.compare_digest(token, expected) or (provider, kind) not in CALLBACKS:
        abort(404)
    items = request.get_json(silent=True)
    if not isinstance(items, list):
        abort(400)
    now = request_now()
    for item in items:
        if isinstance(item, dict):
            CALLBACKS[(provider, kind)](item, now)
    return jsonify({"code": 0, "msg": "成功"} if provider == "aliyun" else {"result": 0, "errmsg": "OK"})


CALLBACKS = {
    ("aliyun", "receipt"): lambda item, now: callbacks.receipt(
        item.get("biz_id", ""), item.get("out_id"), bool(item.get("success")),
        f"{item.get('err_code', '')} {item.get('err_msg', '')}", now),
    ("aliyun", "reply"): lambda item, now: callbacks.reply(str(item.get("phone_number", "")),
                                                           str(item.get("content", "")), now),
    ("tencent", "receipt"): lambda item, now: callbacks.receipt(
        item.get("sid", ""), None, item.get("report_status") == "SUCCESS",
        f"{item.get('errmsg', '')} {item.get('description', '')}", now),
    ("tencent", "reply"): lambda item, now: callbacks.reply(str(item.get("mobile", "")),
                                                            str(item.get("text", "")), now),
}


@bp.route("/admin/messages", methods=["GET", "POST"])
@require(MESSAGES_SETUP)
def setup_page():
    """Which providers the messages go through (never their secrets), and a test message."""
    form, sent = TestMessageForm(), None
    if form.validate_on_submit():
        recipient = form.recipient.data.strip()
        if form.channel.data == "sms":
            try:
                recipient = normalise_phone(recipient)
            except InvalidPhone:
                form.recipient.errors = [_("无法识别的手机号：%(mobile)s", mobile=recipient)]
        if not form.recipient.errors:
            sent = setup.send_test(current_user, form.channel.data, recipient, request_now())
    status_code = 422 if form.is_submitted() and (form.errors or form.recipient.errors) else 200
    return render("messages/setup.html", providers=setup.providers(), form=form, sent=sent, labels=labels,
                  status_code=status_code)


@bp.route("/messages/contacts/<int:contact_id>/refusals/<channel>", methods=["POST"])
@require(CLIENTS_EDIT)
def contact_refusal(contact_id, channel):
    """A contact said, by phone or letter, that they want (or again want) no SMS, email or gifts."""
    contact = db.get_or_404(Contact, contact_id)
    if channel not in optout.CHANNELS:
        abort(404)
    optout.set_refusal(current_user, contact, channel, bool(request.form.get("refuses")), request_now())
    flash(_("已登记 %(name)s 的意愿。", name=contact.name), "success")
    if is_fragment_request():
        card = optout.preferences_card(current_user, contact.client)
        return render(card.template, card.template, card=card)
    return redirect(url_for("clients.detail", client_id=contact.client_id, _anchor="contact-preferences"),
                    code=303)
