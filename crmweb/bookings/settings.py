"""The visit rule book's numbers, kept by a manager (/bookings/settings)."""
from crmweb.bookings.rules import Numbers
from crmweb.settings import declare, get_setting

declare({
    "bookings.notice_days": 5,              # important clients apply at least this many days ahead
    "bookings.small_group": 10,             # general clients: smaller groups are received informally
    "bookings.supervisor_approves": False,  # supervisors may approve visits as well as managers
})


def numbers() -> Numbers:
    return Numbers(notice_days=get_setting("bookings.notice_days"),
                   small_group=get_setting("bookings.small_group"))
