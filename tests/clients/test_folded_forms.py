"""The client page's folded forms (record a touch, record an event, add a contact) come with the
page only when open; as one opens, the page asks for its fields (?form=…), which are given only to
who may fill them in."""
from tests.clients.helpers import make_client
from tests.conftest import gen_user, log_in

HX = {"HX-Request": "true"}


def test_the_page_defers_the_folded_forms_and_serves_their_fields_as_they_open(app, client):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner, contacts=[{"name": "曾晓明", "mobile": "13812345678"}])
    log_in(client, owner.username)
    page = client.get(f"/clients/{client_id}").get_data(as_text=True)
    for name in ("interaction", "event", "contact"):
        assert f'hx-get="/clients/{client_id}?form={name}"' in page
    assert 'id="interaction-content"' not in page and 'id="contact-new-name"' not in page

    fields = client.get(f"/clients/{client_id}?form=interaction", headers=HX).get_data(as_text=True)
    assert 'id="interaction-content"' in fields and "曾晓明" in fields  # the client's contacts to choose
    assert "<html" not in fields
    event = client.get(f"/clients/{client_id}?form=event", headers=HX).get_data(as_text=True)
    assert 'id="event-kind"' in event
    contact = client.get(f"/clients/{client_id}?form=contact", headers=HX).get_data(as_text=True)
    assert 'id="contact-new-name"' in contact and "clients/duplicates" in contact  # 查重 as one types


def test_without_scripts_the_link_opens_the_page_with_that_form_unfolded(app, client):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner)
    log_in(client, owner.username)
    page = client.get(f"/clients/{client_id}?form=event").get_data(as_text=True)
    assert '<details open id="record-event">' in page and 'id="event-kind"' in page
    assert 'id="interaction-content"' not in page


def test_folded_fields_only_for_who_may_fill_them_in(app, client):
    owner = gen_user(app, "sales")
    client_id = make_client(app, owner)
    other_sales = gen_user(app, "sales")
    log_in(client, other_sales.username)  # another owner's client: the restricted page, no fields
    restricted = client.get(f"/clients/{client_id}?form=interaction", headers=HX)
    assert 'id="interaction-content"' not in restricted.get_data(as_text=True)
    client = app.test_client()
    log_in(client, owner.username)
    assert client.get(f"/clients/{client_id}?form=nonsense", headers=HX).status_code == 404
    assert client.get(f"/clients/{client_id}?form=contact", headers=HX).status_code == 200
    service = gen_user(app, "service")  # reads every archive and records touches, changes none
    client = app.test_client()
    log_in(client, service.username)
    assert client.get(f"/clients/{client_id}?form=interaction", headers=HX).status_code == 200
    assert client.get(f"/clients/{client_id}?form=contact", headers=HX).status_code == 404
