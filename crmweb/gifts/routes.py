"""/gifts: the catalogue with its stock (low stock stands out), a gift and every movement of it,
stock received, issued and counted again."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from crmweb.auth.permissions import GIFTS_STOCK, GIFTS_VIEW, require
from crmweb.errors import Conflict, Invalid
from crmweb.gifts import bp, labels, rules, services
from crmweb.gifts.forms import GiftForm, SouvenirForm, StockForm
from crmweb.htmx import render
from crmweb.timeutil import request_now

GIFT_FIELDS = ("name", "kind", "unit_value", "supplier", "low_level", "active")


@bp.route("/gifts")
@require(GIFTS_VIEW)
def index():
    gifts = services.catalogue(include_inactive=True)
    form = SouvenirForm(gift_id=services.visit_souvenir().id if services.visit_souvenir() else 0)
    form.gift_id.choices = [SelectChoice(0, "—")] + [
        SelectChoice(gift.id, gift.name) for gift in gifts if gift.active
    ]
    return render("gifts/index.html", gifts=gifts, labels=labels, rules=rules, souvenir_form=form)


@bp.route("/gifts/new", methods=["GET", "POST"])
@bp.route("/gifts/<int:gift_id>/edit", methods=["GET", "POST"])
@require(GIFTS_STOCK)
def edit(gift_id=None):
    gift = services.get_gift(gift_id) if gift_id else None
    form = GiftForm(obj=gift)
    if form.validate_on_submit():
        try:
            saved = services.save_gift(
                current_user, gift, {name: form[name].data for name in GIFT_FIELDS}, request_now()
            )
        except Conflict as taken:
            form.name.errors = [taken.message]
            return render("gifts/edit.html", form=form, gift=gift, status_code=409)
        flash(_("礼品已保存。"), "success")
        return redirect(url_for("gifts.detail", gift_id=saved.id), code=303)
    return render("gifts/edit.html", form=form, gift=gift, status_code=422 if form.is_submitted() else 200)


@bp.route("/gifts/<int:gift_id>")
@require(GIFTS_VIEW)
def detail(gift_id):
    gift = services.get_gift(gift_id)
    return _detail(gift)


def _detail(gift, form=None, action=None, status_code=200):
    return render(
        "gifts/detail.html",
        gift=gift,
        movements=services.movements(gift),
        labels=labels,
        rules=rules,
        form=form or StockForm(),
        blank=StockForm(formdata=None),
        action=action,
        status_code=status_code,
    )


STOCK_ACTIONS = {"receive": services.receive, "issue": services.issue, "count": services.count_again}


@bp.route("/gifts/<int:gift_id>/stock/<action>", methods=["POST"])
@require(GIFTS_STOCK)
def stock(gift_id, action):
    if action not in STOCK_ACTIONS:
        abort(404)
    gift = services.get_gift(gift_id)
    form = StockForm()
    if not form.validate_on_submit():
        return _detail(gift, form, action, status_code=422)
    try:
        STOCK_ACTIONS[action](current_user, gift, form.quantity.data, form.reason.data or "", request_now())
    except Invalid as refused:
        form.quantity.errors = [refused.message]
        return _detail(services.get_gift(gift_id), form, action, status_code=422)
    flash(_("库存已更新。"), "success")
    return redirect(url_for("gifts.detail", gift_id=gift.id), code=303)


@bp.route("/gifts/visit-souvenir", methods=["POST"])
@require(GIFTS_STOCK)
def visit_souvenir():
    """Which gift a visit's guests receive one each of (0: not drawn on the stock)."""
    form = SouvenirForm()
    form.gift_id.choices = [SelectChoice(0, "—")] + [
        SelectChoice(gift.id, gift.name) for gift in services.catalogue()
    ]
    if not form.validate_on_submit():
        return render(
            "gifts/index.html",
            gifts=services.catalogue(include_inactive=True),
            labels=labels,
            rules=rules,
            souvenir_form=form,
            status_code=422,
        )
    services.choose_visit_souvenir(current_user, form.gift_id.data, request_now())
    flash(_("已设置参观纪念品。"), "success")
    return redirect(url_for("gifts.index"), code=303)
