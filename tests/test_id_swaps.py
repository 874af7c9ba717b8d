"""Id swaps (IDOR) in URLs and form fields, on every form a salesperson is shown: each is filled
as the page offers it, and sent once with another owner's client in its place — the client in the
address, in a `client_id` field — and once with another client's contact in a `contact_id` field.
Nothing of the other owner's client changes, no row points at its contact, and the same forms
sent unswapped are accepted often enough for the refusals to mean something."""

import io
import re
from datetime import timedelta
from urllib.parse import urljoin, urlparse

import sqlalchemy as sa

from crmweb.clients.models import Client, Contact
from crmweb.extensions import db
from crmweb.timeutil import local_zone, utcnow
from tests.clients.helpers import make_client
from tests.conftest import csrf_token_in, gen_user, log_in
from tests.documents.test_files import PDF
from tests.test_hostile_forms import SKIPPED_ACTIONS, Page, crawl, demo  # noqa: F401 (demo: the fixture)

# Where the product lets anyone with the right attach work to any client, whoever owns it: the front
# desk and sales book visits and open cases for whichever client calls or comes.
ANY_CLIENT = re.compile(r"^/bookings/new$|^/cases/new$")


def filled_forms(html: str) -> list[dict]:
    """The POST forms of a page with the values a person would send: what is filled in, the option
    selected, the boxes ticked (and a client's box, in bulk changes, ticked to be swapped)."""
    page = Page()
    page.feed(html)
    return [{"action": form["action"],
             "data": {field["name"]: field["value"] for field in form["fields"]
                      if field["type"] not in ("submit", "button")
                      and (field["type"] not in ("checkbox", "radio") or field["checked"]
                           or field["name"] == "client_id")},
             "types": {field["name"]: field["type"] for field in form["fields"]}}
            for form in page.forms]


def filled(data: dict, types: dict, day, client_id: int) -> dict:
    """Blanks given what a person would type (their own client where one is chosen), so that the
    form is accepted as far as it can be."""
    typed = {"date": day.isoformat(), "datetime-local": f"{day.isoformat()}T10:00",
             "time": "10:00", "number": "1", "email": "test@example.com", "tel": "13812345678"}

    def blank_filled(name):
        if name == "client_id":
            return str(client_id)
        if name.startswith("ends") and types.get(name) == "datetime-local":
            return f"{day.isoformat()}T11:00"  # after it starts
        return typed.get(types.get(name), "测试")

    return {name: value if value.strip() else blank_filled(name) for name, value in data.items()}


def sent(data: dict, types: dict) -> dict:
    """The form as the browser sends it: a file (a small PDF) in each file field."""
    return {name: (io.BytesIO(PDF), "报价单.pdf") if types.get(name) == "file" else value
            for name, value in data.items()}


def rows_of(client_id: int, contact_id: int) -> dict:
    """Everything of the other owner's client: its row and its contacts' as they are, and how many
    rows of every table point at it or at its contact."""
    found = {
        "client": tuple(db.session.execute(sa.select(Client.__table__).where(Client.id == client_id)).one()),
        "contacts": tuple(tuple(row) for row in db.session.execute(
            sa.select(Contact.__table__).where(Contact.client_id == client_id).order_by(Contact.id))),
    }
    for table in db.metadata.sorted_tables:
        for column, value in (("client_id", client_id), ("contact_id", contact_id)):
            if column in table.c and table.name != "contacts":
                found[f"{table.name}.{column}"] = db.session.scalar(
                    sa.select(sa.func.count()).select_from(table).where(table.c[column] == value))
    return found


def test_another_owners_client_and_contact_swapped_into_every_form_change_nothing_of_theirs(app, demo):  # noqa: F811
    salesperson = gen_user(app, "sales", "swap.sales")
    own = make_client(app, salesperson, "常熟虞山纺织有限公司",
                      contacts=[{"name": "钱多多", "mobile": "+8613911112222"}])
    other_owner = gen_user(app, "sales", "swap.other")
    theirs = make_client(app, other_owner, "昆山玉峰电子有限公司",
                         contacts=[{"name": "孙小美", "mobile": "+8613933334444"}])
    with app.app_context():
        their_contact = db.session.get(Client, theirs).contacts[0].id
        own_contact = db.session.get(Client, own).contacts[0].id
        before = rows_of(theirs, their_contact)
        next_week = (utcnow().astimezone(local_zone()) + timedelta(days=8)).date()
    browser = app.test_client()
    assert log_in(browser, salesperson.username).status_code == 302
    menu = ["/", f"/clients/{own}", f"/clients/{own}?form=interaction", f"/clients/{own}?form=event",
            f"/clients/{own}?form=contact", f"/clients/{own}/contracts/new", "/bookings/new", "/cases/new"]
    forms = crawl(browser, menu, [])
    swapped, accepted, failures = 0, 0, []
    for page, form in forms:
        html = browser.get(page).get_data(as_text=True)
        action = form["action"]
        match = next((found for found in filled_forms(html)
                      if urljoin(page, found["action"] or page) == action), None)
        if match is None or SKIPPED_ACTIONS.search(action):
            continue
        data = {**filled(match["data"], match["types"], next_week, own), "csrf_token": csrf_token_in(html)}
        rounds = []
        their_address = re.sub(rf"/contacts/{own_contact}(?=/|$)", f"/contacts/{their_contact}",
                               re.sub(rf"/(clients?)/{own}(?=/|$)", rf"/\1/{theirs}", action))
        if their_address != action or "client_id" in data:
            their_client = {"client_id": str(theirs)} if "client_id" in data else {}
            rounds.append((their_address, {**data, **their_client}, ANY_CLIENT.search(urlparse(action).path)))
        if "contact_id" in data:
            rounds.append((action, {**data, "contact_id": str(their_contact)}, False))
        for target, values, for_any_client in rounds:
            swapped += 1
            response = browser.post(target, data=sent(values, match["types"]))
            if response.status_code >= 500:
                failures.append((target, response.status_code))
            with app.app_context():
                after = rows_of(theirs, their_contact)
            changed = {key for key in after if after[key] != before[key]}
            # Work attached to their client (and to its contact, as a case's callback is) where anyone may.
            allowed = {key for key in changed if for_any_client and key.endswith(("client_id", "contact_id"))}
            if changed - allowed:
                failures.append((target, response.status_code, sorted(changed - allowed)))
            before = after
        if rounds and browser.post(action, data=sent(data, match["types"])).status_code in (302, 303):
            accepted += 1
    assert failures == []
    assert swapped >= 15, swapped
    assert accepted >= 5, accepted  # the swaps were refused for the swap, not for a bad form
