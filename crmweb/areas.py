"""The areas of the product, in menu order. A new area is its package (exposing `area`, see
crmweb/area.py) and one line here."""
from crmweb import (
    admin,
    auth,
    bookings,
    callbacks,
    cases,
    clients,
    dashboard,
    documents,
    gifts,
    health,
    kb,
    messages,
    plans,
    reports,
    workdays,
)

AREAS = [
    health.area,
    auth.area,
    dashboard.area,
    clients.area,
    callbacks.area,
    plans.area,
    cases.area,
    documents.area,
    reports.area,
    kb.area,
    bookings.area,
    workdays.area,
    messages.area,
    gifts.area,
    admin.area,
]
