"""The service-case numbers a manager keeps (/cases/setup)."""

from crmweb.settings import declare

declare(
    {
        "cases.working_hours": "09:00-12:00,13:30-18:00",  # deadlines count over these, on working days
        "cases.warn_minutes": 60,  # a case this close to a deadline (working minutes) stands out
        "cases.confirm_least": 3,  # the client's satisfaction (1–5) from which a case is settled
    }
)
