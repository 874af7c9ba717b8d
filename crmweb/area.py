"""What an area of the product (clients, kb, bookings, …) tells the app about itself.

Each area package defines `area = Area(...)`; `crmweb.areas.AREAS` lists them, and the app, the
menu, `flask seed-demo` and the "today" page loop over that list. A new area is its own package
plus one line there.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

import click
from flask import Blueprint


@dataclass(frozen=True)
class TodayCard:
    """One card of the "today" page: a template of the area's, and what it shows."""
    template: str
    context: dict


@dataclass(frozen=True)
class Area:
    blueprint: Blueprint
    url_prefix: str | None = None
    # `flask …` command groups of the area.
    commands: tuple[click.Command, ...] = ()
    # Main menu entries, (endpoint, label), in order; each shows to the roles that may open it.
    menu: tuple[tuple[str, object], ...] = ()
    # today_cards(user, now, today) → the area's cards for that person, none when nothing applies.
    today_cards: Callable | None = None
    # seed_demo(now) → a line saying what demo data it loaded (after the demo users exist).
    seed_demo: Callable | None = None
    # The audit log's names for the area's actions: {"booking.approved": _l("批准参观"), …}.
    audit_actions: dict = field(default_factory=dict)
    # client_panels(actor, client, may_read) → the area's cards on a client's page (may_read: the
    # person may read the client's confidential parts, already audited by the page).
    client_panels: Callable | None = None
    # Periodic jobs for `flask cron`: (function, cron string in UTC), e.g. (sweep, "* * * * *").
    periodic: tuple[tuple[Callable, str], ...] = ()
