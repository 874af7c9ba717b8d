"""Two people editing the same section: the second save does not silently undo the first."""
import sqlalchemy as sa

from crmweb.clients.models import Client, ClientConfidential
from crmweb.extensions import db
from tests.clients.helpers import make_client
from tests.conftest import csrf_token_in, gen_user, log_in

BASICS = {"name": "徐州华通机械有限公司", "kind": "company", "stage": "customer"}


def _opened(client, client_id, section):
    page = client.get(f"/clients/{client_id}/sections/{section}/edit").get_data(as_text=True)
    return page.split('name="version" value="')[1].split('"')[0]


def test_the_second_save_of_a_section_opened_before_the_first_is_a_conflict(app, client):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner)
    supervisor = app.test_client()
    log_in(client, owner.username)
    log_in(supervisor, gen_user(app, "supervisor", display_name="王主管").username)
    mine, theirs = _opened(client, client_id, "basics"), _opened(supervisor, client_id, "basics")
    assert mine == theirs
    first = supervisor.post(f"/clients/{client_id}/sections/basics",
                            data={**BASICS, "address": "徐州市铜山区", "version": theirs})
    assert first.status_code == 302
    second = client.post(f"/clients/{client_id}/sections/basics", headers={"HX-Request": "true"},
                         data={**BASICS, "main_business": "工程机械", "version": mine})
    page = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "王主管" in page and "徐州市铜山区" in page  # who changed it, and what is stored now
    assert 'value="工程机械"' in page                      # what I typed is kept in the form
    with app.app_context():
        stored = db.session.get(Client, client_id)
        assert (stored.address, stored.main_business) == ("徐州市铜山区", None)
    # Saving again from the conflict form is a deliberate choice: it goes through.
    current = page.split('name="version" value="')[1].split('"')[0]
    again = client.post(f"/clients/{client_id}/sections/basics",
                        data={**BASICS, "address": "徐州市铜山区", "main_business": "工程机械",
                              "version": current})
    assert again.status_code == 302


def test_a_confidential_section_detects_a_change_made_meanwhile(app, client):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner)
    log_in(client, owner.username)
    seen = _opened(client, client_id, "financial")
    manager = app.test_client()
    log_in(manager, gen_user(app, "manager").username)
    assert manager.post(f"/clients/{client_id}/sections/financial",
                        data={"banks": "招商银行", "version": _opened(manager, client_id, "financial")}
                        ).status_code == 302
    response = client.post(f"/clients/{client_id}/sections/financial",
                           data={"banks": "工商银行", "version": seen})
    assert response.status_code == 409
    with app.app_context():
        assert db.session.scalar(sa.select(ClientConfidential.banks)) == "招商银行"


def test_a_save_without_anyone_else_in_between_is_not_a_conflict(app, client):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner)
    log_in(client, owner.username)
    page = client.get(f"/clients/{client_id}/sections/basics/edit").get_data(as_text=True)
    response = client.post(f"/clients/{client_id}/sections/basics", data={
        **BASICS, "address": "徐州", "version": page.split('name="version" value="')[1].split('"')[0],
        "csrf_token": csrf_token_in(page)})
    assert response.status_code == 302


def test_a_contact_card_changed_meanwhile_is_a_conflict(app, client):
    from crmweb.clients.models import Contact

    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner, contacts=[{"name": "赵磊", "position": "经理"}])
    with app.app_context():
        contact_id = db.session.scalar(sa.select(Contact.id))
    log_in(client, owner.username)
    page = client.get(f"/clients/{client_id}/contacts/{contact_id}/edit").get_data(as_text=True)
    seen = page.split('name="version" value="')[1].split('"')[0]
    other = app.test_client()
    log_in(other, gen_user(app, "supervisor").username)
    assert other.post(f"/clients/{client_id}/contacts/{contact_id}",
                      data={"name": "赵磊", "position": "总经理"}).status_code == 302
    response = client.post(f"/clients/{client_id}/contacts/{contact_id}",
                           data={"name": "赵磊", "position": "副经理", "version": seen})
    assert response.status_code == 409 and 'value="副经理"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Contact, contact_id).position == "总经理"
