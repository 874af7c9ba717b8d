"""The main navigation: the areas' menu entries, each shown only to roles that may open it."""
from flask import current_app

from crmweb import areas
from crmweb.auth.permissions import can, declared_permission


def visible_items():
    return [(endpoint, label) for area in areas.AREAS for endpoint, label in area.menu
            if endpoint in current_app.view_functions and can(declared_permission(endpoint))]
