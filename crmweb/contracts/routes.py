"""/contracts: the contracts ending soon; a client's contracts written and changed on its archive,
with their files (confidential, like the amount)."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crmweb.auth.permissions import CLIENTS_VIEW, CONTRACTS_VIEW, require
from crmweb.clients import access
from crmweb.contracts import bp, rules, services
from crmweb.contracts.forms import ContractForm
from crmweb.contracts.labels import REMINDERS, STATES
from crmweb.documents.services import files_of
from crmweb.errors import Conflict
from crmweb.extensions import db
from crmweb.htmx import render
from crmweb.ids import whole_number
from crmweb.timeutil import local_zone, request_now

DEFAULT_DAYS = 30


def _today():
    return request_now().astimezone(local_zone()).date()


@bp.route("/contracts")
@require(CONTRACTS_VIEW)
def index():
    """Contracts ending within `?days=` (30 by default), of the clients one sees."""
    days = min(whole_number(request.args.get("days")) or DEFAULT_DAYS, 3660)
    today = _today()
    return render(
        "contracts/index.html",
        contracts=services.expiring(current_user, today, days),
        days=days,
        today=today,
        mine=services.due_for([current_user.id], today),
        reminders=REMINDERS,
    )


def _form_page(client, form, contract=None, status_code=200):
    return render(
        "contracts/form.html",
        client=client,
        form=form,
        contract=contract,
        may_set_amount=access.can_read_confidential(current_user, client, request_now()),
        status_code=status_code,
    )


def _save(client, contract, form):
    try:
        saved = services.save_contract(current_user, client, contract, form.values(), request_now())
    except Conflict as refused:
        db.session.rollback()
        form.number.errors = [refused.message]
        return _form_page(client, form, contract, status_code=409)
    flash(_("合同已保存。"), "success")
    return redirect(url_for("contracts.detail", contract_id=saved.id), code=303)


@bp.route("/clients/<int:client_id>/contracts/new", methods=["GET", "POST"])
@require(CLIENTS_VIEW)
def new(client_id):
    client = access.get_client(client_id)
    access.require_edit(current_user, client)
    form = ContractForm()
    if form.validate_on_submit():
        return _save(client, None, form)
    return _form_page(client, form, status_code=422 if form.is_submitted() else 200)


@bp.route("/contracts/<int:contract_id>/edit", methods=["GET", "POST"])
@require(CLIENTS_VIEW)
def edit(contract_id):
    contract = services.get_contract(current_user, contract_id, request_now())
    access.require_edit(current_user, contract.client)
    form = ContractForm(obj=contract if request.method == "GET" else None)
    if request.method == "GET":
        form.amount.data = services.amount_for(current_user, contract, request_now())
    if form.validate_on_submit():
        return _save(contract.client, contract, form)
    return _form_page(contract.client, form, contract, status_code=422 if form.is_submitted() else 200)


@bp.route("/contracts/<int:contract_id>")
@require(CLIENTS_VIEW)
def detail(contract_id):
    now = request_now()
    contract = services.get_contract(current_user, contract_id, now)
    may_read = access.can_read_confidential(current_user, contract.client, now)
    return render(
        "contracts/detail.html",
        contract=contract,
        amount=services.amount_for(current_user, contract, now),
        state=rules.state(contract.dates, _today()),
        deadlines=rules.deadlines(contract.dates),
        files=files_of(current_user, "contract", contract.id, now) if may_read else None,
        may_edit=access.can_edit(current_user, contract.client),
        states=STATES,
        reminders=REMINDERS,
    )
