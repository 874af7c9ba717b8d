"""/bookings: book a visit (the rule book answers as one types), prepare, approve, cancel; the
passes, the rooms' calendar and iCalendar files."""
from datetime import date, timedelta

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from crmweb.auth.permissions import BOOKINGS_CREATE, BOOKINGS_VIEW, SETTINGS_BUSINESS, require
from crmweb.bookings import bp, exporting, labels, rules, services
from crmweb.bookings.forms import BookingForm, BookingSettingsForm, PrepareForm, people_choices
from crmweb.bookings.settings import numbers
from crmweb.clients import labels as client_labels
from crmweb.clients.picker import client_choices
from crmweb.clients.services import assignable_owners
from crmweb.errors import Conflict
from crmweb.htmx import render
from crmweb.ids import whole_number
from crmweb.settings import get_setting
from crmweb.timeutil import local_zone, request_now


def _booking_form(**data) -> BookingForm:
    form = BookingForm(**data)
    form.room_id.choices = [SelectChoice(room.id, f"{room.name}（{room.capacity}）")
                            for room in services.rooms()]
    form.host_id.choices = people_choices(assignable_owners())
    return form


def _local(moment):
    return moment.replace(tzinfo=local_zone()) if moment else None


def _client(form: BookingForm):
    return services.find_client(form.client_id.data)


def _request_from(form: BookingForm):
    """The visit the form describes, or None while its client, room or host is missing."""
    client = _client(form)
    room = services.find_room(form.room_id.data)
    host = next((user for user in assignable_owners() if user.id == form.host_id.data), None)
    if client is None or room is None or host is None or not form.starts_at.data or not form.ends_at.data:
        return None
    return services.Request(
        client=client, room=room, starts_at=_local(form.starts_at.data), ends_at=_local(form.ends_at.data),
        visitors=rules.visitor_names(form.visitors.data), purpose=(form.purpose.data or "").strip(),
        areas=form.areas.data or [], host=host, holiday_allowed=bool(form.holiday_allowed.data))


@bp.route("/bookings")
@require(BOOKINGS_VIEW)
def index():
    now = request_now()
    today = now.astimezone(local_zone()).date()
    start, _end = services.day_bounds(today)
    visits = services.visits_between(start, start + timedelta(days=90))
    return render("bookings/index.html", visits=visits, labels=labels, client_labels=client_labels)


@bp.route("/bookings/new", methods=["GET", "POST"])
@require(BOOKINGS_CREATE)
def new():
    form = _booking_form()
    if request.method == "GET":
        form.client_id.data = whole_number(request.args.get("client"))
        form.host_id.data = current_user.id
    client = _client(form)
    if not form.validate_on_submit() or client is None:
        if request.method == "POST" and client is None and not form.client_id.errors:
            form.client_id.errors = [_("请选择客户。")]
        return _form_page(form, client, status_code=422 if request.method == "POST" else 200)
    visit = _request_from(form)
    found = services.refusals(visit, request_now())
    if found:
        for name, message in found.items():
            form[name].errors = [*form[name].errors, str(message)]
        return _form_page(form, client, status_code=422)
    try:
        booking = services.book(current_user, visit, request_now())
    except Conflict as taken:
        form.room_id.errors = [taken.message]
        return _form_page(form, client, status_code=409)
    flash(_("已提交参观预约。"), "success")
    return redirect(url_for("bookings.detail", booking_id=booking.id), code=303)


def _form_page(form, client, status_code=200, booking=None):
    return render("bookings/new.html", form=form, client=client, client_labels=client_labels,
                  guidance=_guidance(form), booking=booking, status_code=status_code)


@bp.route("/bookings/<int:booking_id>/edit", methods=["GET", "POST"])
@require(BOOKINGS_CREATE)
def edit(booking_id):
    """Move a visit or change who comes: checked as a new one, approved again, old passes void."""
    booking = services.get_booking(booking_id)
    services.require_change(current_user, booking)
    zone = local_zone()
    form = _booking_form(data=None if request.method == "POST" else {
        "client_id": booking.client_id, "room_id": booking.room_id, "host_id": booking.host_id,
        "starts_at": booking.starts_at.astimezone(zone).replace(tzinfo=None),
        "ends_at": booking.ends_at.astimezone(zone).replace(tzinfo=None),
        "visitors": "\n".join(visitor.name for visitor in booking.expected), "purpose": booking.purpose,
        "areas": booking.area_list, "holiday_allowed": booking.holiday_allowed})
    form.client_id.data = booking.client_id  # the client of a visit stays the same
    if not form.validate_on_submit():
        return _form_page(form, booking.client, 422 if request.method == "POST" else 200, booking)
    visit = _request_from(form)
    found = services.refusals(visit, request_now())
    for name, message in found.items():
        form[name].errors = [*form[name].errors, str(message)]
    if found:
        return _form_page(form, booking.client, 422, booking)
    try:
        services.change(current_user, booking, visit, request_now())
    except Conflict as taken:
        form.room_id.errors = [taken.message]
        return _form_page(form, booking.client, 409, services.get_booking(booking_id))
    flash(_("已修改参观预约：须重新批准，原通行证已作废。"), "success")
    return redirect(url_for("bookings.detail", booking_id=booking.id), code=303)


@bp.route("/bookings/check", methods=["POST"])
@require(BOOKINGS_CREATE)
def check():
    """As the form changes: the rules of the client's tier, the earliest day, whether the room is
    free and big enough (htmx; nothing is written)."""
    return render("bookings/_guidance.html", "bookings/_guidance.html", guidance=_guidance(_booking_form()),
                  client_labels=client_labels)


def _guidance(form) -> dict:
    """What the rule book says of the visit typed so far."""
    now = request_now()
    client, room = _client(form), services.find_room(form.room_id.data)
    if client is None:
        return {}
    visitors = len(rules.visitor_names(form.visitors.data))
    today = now.astimezone(local_zone()).date()
    guidance = {"client": client, "earliest": rules.earliest_date(client.tier, today, numbers()),
                "provisions": rules.provisions(client.tier, visitors, room.capacity if room else visitors,
                                               numbers()), "visitors": visitors, "room": room}
    visit = _request_from(form)
    if visit is not None:
        guidance["refusals"] = services.refusals(visit, now)
        guidance["holder"] = services.holder(room, visit.starts_at, visit.ends_at) \
            if visit.ends_at > visit.starts_at else None
    return guidance


@bp.route("/bookings/clients")
@require(BOOKINGS_CREATE)
def pick_client():
    """Search as you type for the client of a visit, for every booker (the front desk too)."""
    return client_choices()


@bp.route("/bookings/<int:booking_id>")
@require(BOOKINGS_VIEW)
def detail(booking_id):
    booking = services.get_booking(booking_id)
    return _detail_page(booking)


def _detail_page(booking, prepare_form=None, status_code=200):
    prepare_form = prepare_form or PrepareForm(obj=booking)
    staff = people_choices(assignable_owners(), blank=True)
    prepare_form.guide_id.choices = prepare_form.senior_manager_id.choices = staff
    given = rules.provisions(booking.tier, len(booking.expected), booking.room.capacity, numbers())
    return render("bookings/detail.html", booking=booking, labels=labels, client_labels=client_labels,
                  provisions=given,
                  prepare_form=prepare_form, may_approve=services.may_approve(current_user),
                  may_change=services.may_change(current_user, booking),
                  status_code=status_code)


@bp.route("/bookings/<int:booking_id>/prepare", methods=["POST"])
@require(BOOKINGS_CREATE)
def prepare(booking_id):
    booking = services.get_booking(booking_id)
    form = PrepareForm()
    staff = {user.id: user for user in assignable_owners()}
    if not form.validate_on_submit() or (form.guide_id.data and form.guide_id.data not in staff):
        form.guide_id.errors = [*form.guide_id.errors, _("请选择陪同讲解人员。")]
        return _detail_page(booking, form, status_code=422)
    services.assign(current_user, booking, staff.get(form.guide_id.data), {
        "needs_analysed": form.needs_analysed.data, "rehearsed": form.rehearsed.data,
        "meals_arranged": form.meals_arranged.data, "photography_allowed": form.photography_allowed.data,
        "senior_manager_id": form.senior_manager_id.data if form.senior_manager_id.data in staff else None},
        request_now())
    flash(_("已保存接待准备。"), "success")
    return redirect(url_for("bookings.detail", booking_id=booking.id), code=303)


@bp.route("/bookings/<int:booking_id>/approve", methods=["POST"])
@require(BOOKINGS_VIEW)
def approve(booking_id):
    booking = services.get_booking(booking_id)
    passes = services.approve(current_user, booking, request_now())
    flash(_("已批准，签发通行证 %(count)s 张。", count=len(passes)), "success")
    return redirect(url_for("bookings.detail", booking_id=booking.id), code=303)


@bp.route("/bookings/<int:booking_id>/cancel", methods=["POST"])
@require(BOOKINGS_CREATE)
def cancel(booking_id):
    booking = services.get_booking(booking_id)
    services.cancel(current_user, booking, request_now())
    flash(_("已取消参观，通行证已作废。"), "success")
    return redirect(url_for("bookings.detail", booking_id=booking.id), code=303)


@bp.route("/bookings/<int:booking_id>/passes")
@require(BOOKINGS_VIEW)
def passes(booking_id):
    booking = services.get_booking(booking_id)
    if booking.status != rules.VisitStatus.APPROVED:
        abort(404)
    return render("bookings/passes.html", booking=booking, labels=labels, client_labels=client_labels,
                  qr=exporting.qr_svg)


@bp.route("/bookings/<int:booking_id>.ics")
@require(BOOKINGS_VIEW)
def booking_ics(booking_id):
    return exporting.ics_response([services.get_booking(booking_id)], f"booking-{booking_id}.ics")


@bp.route("/rooms/<int:room_id>.ics")
@require(BOOKINGS_VIEW)
def room_ics(room_id):
    room = services.get_room(room_id)
    start, _end = services.day_bounds(request_now().astimezone(local_zone()).date() - timedelta(days=30))
    visits = services.visits_between(start, start + timedelta(days=400), room_id=room.id)
    return exporting.ics_response(visits, f"room-{room.id}.ics", name=room.name)


@bp.route("/bookings/rooms")
@require(BOOKINGS_VIEW)
def rooms_calendar():
    """Who holds each room, a day or a week at a time."""
    today = request_now().astimezone(local_zone()).date()
    try:
        day = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        day = today
    week = request.args.get("view") == "week"
    first = day - timedelta(days=day.weekday()) if week else day
    days = [first + timedelta(days=n) for n in range(7 if week else 1)]
    start, _end = services.day_bounds(first)
    visits = services.visits_between(start, start + timedelta(days=len(days)))
    zone = local_zone()
    by_room_day = {}
    for visit in visits:
        by_room_day.setdefault((visit.room_id, visit.starts_at.astimezone(zone).date()), []).append(visit)
    step = timedelta(days=7 if week else 1)
    return render("bookings/rooms.html", "bookings/_rooms_grid.html", rooms=services.rooms(), days=days,
                  by_room_day=by_room_day, week=week, day=day, previous=day - step, following=day + step,
                  today=today)


@bp.route("/bookings/settings", methods=["GET", "POST"])
@require(SETTINGS_BUSINESS)
def settings():
    keys = {"notice_days": "bookings.notice_days", "small_group": "bookings.small_group",
            "supervisor_approves": "bookings.supervisor_approves"}
    form = BookingSettingsForm(data=None if request.method == "POST" else
                               {name: get_setting(key) for name, key in keys.items()})
    if form.validate_on_submit():
        values = {key: form[name].data for name, key in keys.items()}
        services.save_settings(current_user, values, request_now())
        flash(_("设置已保存。"), "success")
        return redirect(url_for("bookings.settings"), code=303)
    return render("bookings/settings.html", form=form, status_code=422 if request.method == "POST" else 200)
