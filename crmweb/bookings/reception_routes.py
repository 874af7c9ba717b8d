"""/reception: the front desk's screen of today — who is expected, check-in by pass (typed or
scanned), check-out, walk-ins. It shows a visitor's client name and tier, nothing of the archive."""
from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crmweb.auth.permissions import RECEPTION_DESK, require
from crmweb.bookings import bp, labels, services
from crmweb.bookings.forms import CheckInForm, WalkInForm, people_choices
from crmweb.bookings.models import Visitor
from crmweb.clients import labels as client_labels
from crmweb.clients.services import assignable_owners
from crmweb.errors import DomainError
from crmweb.extensions import db
from crmweb.htmx import render
from crmweb.timeutil import local_zone, request_now


def _walk_in_form(**data) -> WalkInForm:
    form = WalkInForm(**data)
    form.host_id.choices = people_choices(assignable_owners(), blank=True)
    return form


def _desk(check_in_form=None, walk_in_form=None, arrived=None, refusal=None, status_code=200):
    today = request_now().astimezone(local_zone()).date()
    start, end = services.day_bounds(today)
    visits = services.visits_between(start, end)
    cards = [card for cards_for in services.DESK_CARDS for card in cards_for(today)]
    return render("bookings/reception.html", "bookings/_desk.html", visits=visits, cards=cards,
                  walk_ins=services.walk_ins_on(today), check_in_form=check_in_form or CheckInForm(),
                  walk_in_form=walk_in_form or _walk_in_form(), arrived=arrived, refusal=refusal,
                  labels=labels, client_labels=client_labels, today=today, status_code=status_code)


@bp.route("/reception")
@require(RECEPTION_DESK)
def reception():
    return _desk()


@bp.route("/reception/check-in", methods=["POST"])
@require(RECEPTION_DESK)
def check_in():
    form = CheckInForm()
    if not form.validate_on_submit():
        return _desk(check_in_form=form, status_code=422)
    try:
        arrived = services.admit(current_user, form.code.data, request_now())
    except DomainError as refused:
        return _desk(check_in_form=form, refusal=refused.message, status_code=refused.status_code)
    return _desk(arrived=arrived)


@bp.route("/reception/visitors/<int:visitor_id>/check-in", methods=["POST"])
@require(RECEPTION_DESK)
def check_in_by_name(visitor_id):
    """Picking the name on today's list: the same check as the pass (no pass, no entry)."""
    visitor = db.get_or_404(Visitor, visitor_id)
    try:
        arrived = services.admit(current_user, visitor.pass_code or "", request_now())
    except DomainError as refused:
        return _desk(refusal=refused.message, status_code=refused.status_code)
    return _desk(arrived=arrived)


@bp.route("/reception/visitors/<int:visitor_id>/check-out", methods=["POST"])
@require(RECEPTION_DESK)
def check_out(visitor_id):
    visitor = db.get_or_404(Visitor, visitor_id)
    services.check_out(current_user, visitor, request_now())
    flash(_("%(name)s 已离开。", name=visitor.name), "success")
    return redirect(url_for("bookings.reception"), code=303)


@bp.route("/reception/walk-in", methods=["POST"])
@require(RECEPTION_DESK)
def walk_in():
    form = _walk_in_form()
    hosts = {user.id for user in assignable_owners()}
    if not form.validate_on_submit() or (form.host_id.data and form.host_id.data not in hosts):
        return _desk(walk_in_form=form, status_code=422)
    services.record_walk_in(current_user, {
        "name": form.name.data.strip(), "company": (form.company.data or "").strip(),
        "purpose": (form.purpose.data or "").strip(), "host_id": form.host_id.data}, request_now())
    flash(_("已登记来访：%(name)s。", name=form.name.data.strip()), "success")
    return redirect(url_for("bookings.reception"), code=303)
