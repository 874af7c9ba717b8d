"""Search as you type for a form's client (a visit, a gift list, a plan, a case): name and tier
only, which everyone who may fill such a form may see. Each area's route declares who that is."""
from flask import request

from crmweb.clients import labels
from crmweb.clients.search import SearchFilters, search_clients
from crmweb.htmx import render
from crmweb.timeutil import request_now

SHOWN = 8


def client_choices():
    query = request.args.get("client_q", "")[:100]
    found = search_clients(SearchFilters(query=query), 1, SHOWN, request_now()).items if query.strip() else []
    return render("clients/_client_choices.html", "clients/_client_choices.html", clients=found,
                  client_labels=labels)
