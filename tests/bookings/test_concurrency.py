"""Twenty people book one room for overlapping times at the same instant, each from a process of
its own (as several server processes would): exactly one booking, nineteen conflicts, no 500."""
import multiprocessing

import sqlalchemy as sa

from crmweb import create_app
from crmweb.bookings.models import Booking
from crmweb.extensions import db
from tests.bookings.helpers import form, make_room, working_day_after
from tests.clients.helpers import make_client
from tests.conftest import CrmClient, app_config, gen_user, log_in

PEOPLE = 20


def _book_at_once(database_url, username, data, start, answers):
    app = create_app(app_config(database_url))
    app.test_client_class = CrmClient
    browser = app.test_client()
    assert log_in(browser, username).status_code == 302
    start.wait()  # every process is signed in and ready: now all at once
    answers.put(browser.post("/bookings/new", data=data).status_code)


def test_twenty_simultaneous_requests_for_one_room_give_one_booking(app, database_url):
    owner = gen_user(app, "manager")
    client_id = make_client(app, owner, tier="key")
    room_id = make_room(app, capacity=50)
    day = working_day_after(app, 1)
    context = multiprocessing.get_context("fork")
    start, answers = context.Barrier(PEOPLE), context.Queue()
    people = [gen_user(app, "sales") for _ in range(PEOPLE)]
    with app.app_context():
        db.engine.dispose()  # no connection of this process is shared with the children
    processes = [context.Process(target=_book_at_once, args=(
        database_url, person.username,
        form(client_id, room_id, person.id, day, start=f"09:{n:02d}", end=f"10:{n:02d}"), start, answers))
        for n, person in enumerate(people)]
    for process in processes:
        process.start()
    statuses = sorted(answers.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=60)
    assert statuses == [303] + [409] * (PEOPLE - 1)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Booking.id))) == 1
