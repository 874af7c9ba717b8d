"""Eight people save a contract with the same number at the same instant, each from a process of
its own (as several server processes would): one contract, seven conflicts that say why, no 500."""
import multiprocessing

import sqlalchemy as sa

from crmweb import create_app
from crmweb.contracts.models import Contract
from crmweb.extensions import db
from tests.clients.helpers import make_client
from tests.conftest import CrmClient, app_config, gen_user, log_in
from tests.contracts.test_contracts import contract_form, local_today

PEOPLE = 8


def _save_at_once(database_url, username, client_id, data, start, answers):
    app = create_app(app_config(database_url))
    app.test_client_class = CrmClient
    browser = app.test_client()
    assert log_in(browser, username).status_code == 302
    start.wait()  # every process is signed in and ready: now all at once
    response = browser.post(f"/clients/{client_id}/contracts/new", data=data)
    answers.put((response.status_code, "已经用过" in response.get_data(as_text=True)))


def test_simultaneous_contracts_with_one_number_give_one_contract(app, database_url):
    people = [gen_user(app, "manager") for _ in range(PEOPLE)]
    client_id = make_client(app, people[0])
    data = contract_form(local_today(app), number="HT-SAME-1")
    context = multiprocessing.get_context("fork")
    start, answers = context.Barrier(PEOPLE), context.Queue()
    with app.app_context():
        db.engine.dispose()  # no connection of this process is shared with the children
    processes = [context.Process(target=_save_at_once, args=(
        database_url, person.username, client_id, data, start, answers)) for person in people]
    for process in processes:
        process.start()
    answered = sorted(answers.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=60)
    assert answered == [(303, False)] + [(409, True)] * (PEOPLE - 1)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Contract.id))) == 1
