"""What leaves the visit area as files: QR codes on the passes (segno) and iCalendar (icalendar)."""
import segno
from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup

from crmweb.bookings.models import Booking
from crmweb.timeutil import utcnow


def qr_svg(code: str) -> Markup:
    """The pass code as an inline SVG QR code: a USB scanner at the desk types the code back."""
    # segno writes only the code's own characters into the SVG: safe to place in the page.
    return Markup(segno.make(code, error="m").svg_inline(scale=4, border=2))


def ics_response(bookings: list[Booking], filename: str, name: str | None = None):
    """Visits as an iCalendar file, for Outlook and phone calendars."""
    # Imported here: some 50 ms that every process (each flask command) paid at its start.
    from icalendar import Calendar, Event  # noqa: PLC0415 (the .ics exports alone need it)

    calendar = Calendar()
    calendar.add("prodid", "-//crmweb//client visits//ZH")
    calendar.add("version", "2.0")
    if name:
        calendar.add("x-wr-calname", name)
    stamp = utcnow()
    for booking in bookings:
        event = Event()
        event.add("uid", f"booking-{booking.id}@crmweb")
        event.add("dtstamp", stamp)
        event.add("dtstart", booking.starts_at)
        event.add("dtend", booking.ends_at)
        event.add("summary", _("%(client)s 来访（%(count)s 人）", client=booking.client.name,
                               count=len(booking.expected)))
        event.add("location", booking.room.name)
        event.add("description", _("接待人：%(host)s；目的：%(purpose)s", host=booking.host.display_name,
                                   purpose=booking.purpose))
        event.add("status", "CANCELLED" if booking.status == "cancelled" else
                  "CONFIRMED" if booking.status == "approved" else "TENTATIVE")
        calendar.add_component(event)
    response = current_app.response_class(calendar.to_ical(), mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
