"""/admin/calendar: the working calendar of a year, corrected day by day, and confirmed against
the State Council's notice."""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crmweb import workdays
from crmweb.auth.audit import record_audit
from crmweb.auth.permissions import CALENDAR_EDIT, require
from crmweb.extensions import db
from crmweb.htmx import render
from crmweb.ids import whole_number
from crmweb.timeutil import local_zone, request_now
from crmweb.workdays import bp
from crmweb.workdays.forms import CalendarDayForm, ConfirmYearForm


def _year() -> int:
    year = whole_number(request.values.get("year"), maximum=2100)
    return year if year and year >= 1990 else request_now().astimezone(local_zone()).year


@bp.route("/admin/calendar", methods=["GET", "POST"])
@require(CALENDAR_EDIT)
def calendar_page():
    year = _year()
    form = CalendarDayForm()
    if form.validate_on_submit():
        now = request_now()
        workdays.set_day(form.day.data, form.kind.data or None, form.name.data or "", now)
        record_audit("calendar.changed", target_type="calendar", target_id=form.day.data.isoformat(),
                     actor=current_user, now=now,
                     detail=f"{form.kind.data or 'ordinary'} {form.name.data or ''}")
        db.session.commit()
        flash(_("已修改 %(day)s。", day=form.day.data.isoformat()), "success")
        return redirect(url_for("workdays.calendar_page", year=form.day.data.year), code=303)
    return render("workdays/calendar.html", year=year, kept=workdays.calendar_year(year),
                  days=workdays.special_days(year), form=form, confirm_form=ConfirmYearForm(),
                  status_code=422 if form.is_submitted() else 200)


@bp.route("/admin/calendar/<int:year>/confirm", methods=["POST"])
@require(CALENDAR_EDIT)
def confirm(year):
    if not 1990 <= year <= 2100 or not ConfirmYearForm().validate_on_submit():
        return redirect(url_for("workdays.calendar_page"), code=303)
    now = request_now()
    workdays.confirm_year(year, now)
    record_audit("calendar.changed", target_type="calendar", target_id=str(year), actor=current_user, now=now,
                 detail="confirmed")
    db.session.commit()
    flash(_("%(year)s 年已确认。", year=year), "success")
    return redirect(url_for("workdays.calendar_page", year=year), code=303)

