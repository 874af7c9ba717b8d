"""A marker in every confidential field never shows where it must not: role × page, fragment, list."""
import pytest
import sqlalchemy as sa

from crmweb.auth.models import AuditEvent
from crmweb.clients.sections import SECTIONS
from crmweb.extensions import db
from tests.clients.helpers import SECRET, make_client
from tests.conftest import gen_user, log_in

MARKERS = (SECRET, "987654.32", "987,654.32")
READERS = {"director", "manager"}
CLIENT_VIEWERS = {"director", "manager", "supervisor", "specialist", "sales", "service"}


def leaks(page: str) -> list[str]:
    return [marker for marker in MARKERS if marker in page]


def pages_for(client_id):
    """Every place a client's data is shown: page, fragments, list and search."""
    yield "detail page", f"/clients/{client_id}", {}
    for name in SECTIONS:
        yield f"section {name}", f"/clients/{client_id}/sections/{name}", {"HX-Request": "true"}
        yield f"detail via section {name}", f"/clients/{client_id}/sections/{name}", {}
    yield "list", "/clients", {}
    yield "search fragment", "/clients?q=xzht", {"HX-Request": "true"}
    yield "search by phone tail", "/clients?q=5678", {"HX-Request": "true"}


@pytest.fixture
def secret_client(app):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner, tier="key", secret=True,
                            contacts=[{"name": "曾小明", "mobile": "+8613812345678"}])
    return owner, client_id


@pytest.mark.parametrize("role", ["director", "manager", "supervisor", "specialist", "sales",
                                  "service", "reception", "admin"])
def test_confidential_data_reaches_only_readers(app, client, secret_client, role):
    _, client_id = secret_client
    viewer = gen_user(app, role)
    log_in(client, viewer.username)
    for where, url, headers in pages_for(client_id):
        response = client.get(url, headers=headers)
        page = response.get_data(as_text=True)
        if role not in CLIENT_VIEWERS:
            assert response.status_code == 403, where
            continue
        confidential_place = where.startswith(("detail", "section financial", "section payment",
                                               "section dealings", "section strategy"))
        if role in READERS and confidential_place:
            assert response.status_code == 200, where
            assert leaks(page), f"{role} should see the archive on {where}"
        else:
            assert leaks(page) == [], f"{role} sees {leaks(page)} on {where}"


def test_the_owner_reads_their_own_archive(app, client, secret_client):
    owner, client_id = secret_client
    log_in(client, owner.username)
    page = client.get(f"/clients/{client_id}").get_data(as_text=True)
    assert SECRET in page and "987,654.32" in page
    assert leaks(client.get("/clients?q=xzht").get_data(as_text=True)) == []


def test_another_specialist_is_refused_the_confidential_fragment_and_it_is_audited(
        app, client, secret_client):
    _, client_id = secret_client
    viewer = gen_user(app, "specialist")
    log_in(client, viewer.username)
    response = client.get(f"/clients/{client_id}/sections/financial", headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert "申请查阅" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEvent.action).where(
            AuditEvent.action == "archive.denied", AuditEvent.actor_id == viewer.id)) == "archive.denied"


def test_every_read_of_the_archive_is_audited(app, client, secret_client):
    _, client_id = secret_client
    manager = gen_user(app, "manager")
    log_in(client, manager.username)
    client.get(f"/clients/{client_id}")
    client.get(f"/clients/{client_id}/sections/payment", headers={"HX-Request": "true"})
    with app.app_context():
        reads = db.session.scalars(sa.select(AuditEvent.target_id).where(
            AuditEvent.action == "archive.viewed", AuditEvent.actor_id == manager.id)).all()
        details = db.session.scalars(sa.select(AuditEvent.detail)).all()
    assert reads == [str(client_id)] * 2
    assert not any(detail and SECRET in detail for detail in details)


def test_lists_show_other_owners_clients_with_name_tier_and_owner_only(app, client, secret_client):
    owner, client_id = secret_client
    viewer = gen_user(app, "sales")
    log_in(client, viewer.username)
    page = client.get("/clients?q=xzht", headers={"HX-Request": "true"}).get_data(as_text=True)
    row = page.split(f'id="client-{client_id}"')[1].split("</tr>")[0]
    assert "徐州华通" in row and "大客户" in row and owner.display_name in row
    assert "曾小明" not in row and "138" not in row


def test_confidential_pages_are_not_cached(app, client, secret_client):
    _, client_id = secret_client
    manager = gen_user(app, "manager")
    log_in(client, manager.username)
    assert client.get(f"/clients/{client_id}").headers["Cache-Control"] == "no-store"


def test_one_get_of_a_confidential_page_or_fragment_writes_one_audit_row(app, client):
    import sqlalchemy as sa

    from crmweb.auth.models import AuditEvent
    from crmweb.extensions import db
    from tests.clients.helpers import make_client
    from tests.conftest import gen_user, log_in

    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner, secret=True)
    log_in(client, owner.username)
    def reads():
        with app.app_context():
            return db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "archive.viewed"))

    for path in (f"/clients/{client_id}", f"/clients/{client_id}/sections/financial",
                 f"/clients/{client_id}/sections/financial/edit"):
        for headers in ({}, {"HX-Request": "true"}):
            before = reads()
            assert client.get(path, headers=headers).status_code == 200
            assert reads() - before == 1, (path, headers)
