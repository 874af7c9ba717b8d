"""The messages area's settings, kept by a manager: quiet hours and the daily cap per recipient."""
from datetime import time

from crmweb.messages.rules import QuietHours
from crmweb.settings import declare, get_setting

declare({
    "messages.quiet_start": time(8, 0),   # messages go out from …
    "messages.quiet_end": time(21, 0),    # … until (Asia/Shanghai)
    "messages.daily_cap": 1,              # messages to one person a day, at most
})


def quiet_hours() -> QuietHours:
    return QuietHours(get_setting("messages.quiet_start"), get_setting("messages.quiet_end"))


def daily_cap() -> int:
    return get_setting("messages.daily_cap")
