"""List and detail pages issue a bounded number of SQL statements, whatever the number of rows."""
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event

from crmweb.auth.models import User
from crmweb.clients import access, services, timeline
from crmweb.extensions import db
from crmweb.timeutil import utcnow
from tests.clients.helpers import make_client
from tests.conftest import gen_user, log_in


@contextmanager
def counting_statements(app):
    statements = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statements_for(app, client, url):
    with counting_statements(app) as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def add_clients(app, owner, count, start=0):
    for n in range(start, start + count):
        make_client(app, owner, f"测试客户{n:03d}", contacts=[
            {"name": f"联系人{n}", "mobile": f"+86139{n:08d}"}, {"name": f"副联系人{n}"}])


def test_the_client_list_costs_the_same_for_3_and_30_clients(app, client):
    manager = gen_user(app, "manager")
    log_in(client, manager.username)
    add_clients(app, manager, 3)
    few = statements_for(app, client, "/clients")
    add_clients(app, manager, 27, start=3)
    many = statements_for(app, client, "/clients")
    assert many == few
    assert statements_for(app, client, "/clients?q=csk") == statements_for(app, client, "/clients?q=测试")


def test_an_export_costs_the_same_for_3_and_30_clients(app, client):
    """The export's audit commits: what the session held before it was read again client by
    client (95 s for 100,000 clients)."""
    manager = gen_user(app, "manager")
    log_in(client, manager.username)
    add_clients(app, manager, 3)
    few = {kind: statements_for(app, client, f"/clients/export.{kind}") for kind in ("csv", "xlsx", "vcf")}
    add_clients(app, manager, 27, start=3)
    many = {kind: statements_for(app, client, f"/clients/export.{kind}") for kind in ("csv", "xlsx", "vcf")}
    assert many == few
    csv_text = client.get("/clients/export.csv").data.decode("utf-8-sig")
    assert csv_text.count("测试客户") == 60 and "联系人29" in csv_text  # two rows each: every contact


def test_the_client_page_costs_the_same_for_a_short_and_a_long_history(app, client):
    manager = gen_user(app, "manager")
    log_in(client, manager.username)
    client_id = make_client(app, manager, contacts=[{"name": "甲"}])

    def add_history(count):
        with app.app_context():
            actor = db.session.get(User, manager.id)
            archive = access.get_client(client_id)
            for n in range(count):
                services.save_contact(actor, archive, None, {"name": f"联系人{n}"}, utcnow())
                timeline.record_interaction(actor, archive, {
                    "kind": "callback", "occurred_at": utcnow() - timedelta(days=n), "content": "回访",
                    "contact_id": archive.contacts[0].id}, utcnow())
                timeline.record_event(actor, archive, {"kind": "repair", "occurred_at": utcnow()},
                                      utcnow())

    add_history(1)
    short = statements_for(app, client, f"/clients/{client_id}")
    add_history(12)
    assert statements_for(app, client, f"/clients/{client_id}") == short
