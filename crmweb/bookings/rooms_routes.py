"""/admin/rooms: the meeting rooms visits are booked into, kept by an administrator."""
from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crmweb.auth.permissions import ROOMS_MANAGE, require
from crmweb.bookings import bp, services
from crmweb.bookings.forms import RoomForm
from crmweb.errors import Conflict
from crmweb.htmx import render
from crmweb.timeutil import request_now


@bp.route("/admin/rooms", methods=["GET", "POST"])
@require(ROOMS_MANAGE)
def rooms():
    form = RoomForm()
    status_code = 200
    if form.validate_on_submit():
        try:
            room = services.add_room(current_user, form.name.data, form.capacity.data,
                                     form.equipment.data or "", request_now())
        except Conflict as taken:
            form.name.errors = [taken.message]
            status_code = 409
        else:
            flash(_("已添加会议室：%(name)s。", name=room.name), "success")
            return redirect(url_for("bookings.rooms"), code=303)
    elif form.is_submitted():
        status_code = 422
    return render("bookings/rooms_admin.html", form=form, rooms=services.rooms(active_only=False),
                  status_code=status_code)
