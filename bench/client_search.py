"""Client search at 100k clients / 300k contacts (1M interactions), p95 server time per request.

The data is generated once per database and kept (bench/data/ for SQLite, crmweb_bench on
PostgreSQL); later runs only measure.
"""
import multiprocessing
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bench.data import company_name, mobile, person_name

CLIENTS = 100_000
CONTACTS_PER_CLIENT = 3
INTERACTIONS_PER_CLIENT = 10
SEARCH_BAR_MS = 25.0
LIST_BAR_MS = 60.0
BATCH = 5000


def _keys_for(batch):
    from crmweb.clients import rules

    rows = []
    for client_id, name, contacts in batch:
        rows.append((client_id, (rules.sort_key(name, "company"), rules.company_key(name)), [
            {"client_id": client_id, "key": key, "weight": weight}
            for key, weight in rules.search_keys(name, "company", [
                rules.ContactKeys(c_name, c_mobile, None, c_email)
                for c_name, c_mobile, c_email in contacts])]))
    return rows


def generate(app) -> None:
    from crmweb.auth.services import create_user
    from crmweb.clients.models import Client, ClientSearchKey, Contact, Interaction
    from crmweb.extensions import db

    rng = random.Random(2026)
    now = datetime.now(UTC)
    with app.app_context():
        owners = [create_user(None, f"bench{n}", f"专员{n}", "specialist", "bench-password-1", now).id
                  for n in range(20)]
        create_user(None, "bench.manager", "基准经理", "manager", "bench-password-1", now)
        clients_table, contacts_table = Client.__table__, Contact.__table__
        interactions_table, keys_table = Interaction.__table__, ClientSearchKey.__table__
        pool = multiprocessing.get_context("fork").Pool(2)
        for start in range(1, CLIENTS + 1, BATCH):
            ids = range(start, min(start + BATCH, CLIENTS + 1))
            clients, contacts, interactions, batch = [], [], [], []
            for client_id in ids:
                name = company_name(rng, client_id)
                contacted = now - timedelta(days=rng.randint(0, 120))
                stage = rng.choice(["prospect", "customer", "customer", "lost"])
                rhythm = timedelta(days=7 if stage == "prospect" else 30)
                due = None if stage == "lost" else contacted + rhythm
                clients.append({"id": client_id, "kind": "company", "name": name, "sort_key": "",
                                "stage": stage, "contact_due_at": due,
                                "tier": rng.choice(["general"] * 6 + ["important"] * 3 + ["key"]),
                                "vip_status": "none", "owner_id": rng.choice(owners),
                                "last_contact_at": contacted,
                                "created_at": now, "updated_at": now})
                people = []
                for n in range(CONTACTS_PER_CLIENT):
                    number = (client_id - 1) * CONTACTS_PER_CLIENT + n
                    person = person_name(rng)
                    email = f"c{number}@example.cn" if n == 0 else None
                    contacts.append({"id": number + 1, "client_id": client_id, "name": person,
                                     "mobile": mobile(number), "email": email, "is_key_person": n == 0,
                                     "birthday_leap_month": False, "greetings_opt_out": False,
                                     "created_at": now})
                    people.append((person, mobile(number), email))
                for n in range(INTERACTIONS_PER_CLIENT):
                    interactions.append({"client_id": client_id, "kind": "callback", "channel": "phone",
                                         "occurred_at": (contacted - timedelta(days=7 * n)),
                                         "content": "电话回访，客户对服务满意。",
                                         "created_at": now})
                batch.append((client_id, name, people))
            chunks = [batch[i:i + 500] for i in range(0, len(batch), 500)]
            keyed = [row for part in pool.map(_keys_for, chunks) for row in part]
            name_keys = {client_id: keys for client_id, keys, _search_keys in keyed}
            for row in clients:
                row["sort_key"], row["name_key"] = name_keys[row["id"]]
            db.session.execute(sa.insert(clients_table), clients)
            db.session.execute(sa.insert(contacts_table), contacts)
            db.session.execute(sa.insert(interactions_table), interactions)
            db.session.execute(sa.insert(keys_table), [k for _id, _s, keys in keyed for k in keys])
            db.session.commit()
            print(f"  generated {ids[-1]:,} clients", flush=True)
        pool.close()
        if db.engine.dialect.name == "postgresql":
            for table in ("clients", "contacts", "interactions", "client_search_keys"):
                db.session.execute(sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
            db.session.commit()
        # VACUUM too on PostgreSQL: index-only scans need the visibility map it builds.
        statement = "VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE"
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(statement)


def prepare(url: str):
    from crmweb import create_app
    from crmweb.clients.models import Client
    from crmweb.database import upgrade_schema as upgrade
    from crmweb.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024,
                      "TESTING": True})
    with app.app_context():
        upgrade()
        have = db.session.scalar(sa.select(sa.func.count(Client.id)))
    if have < CLIENTS:
        if have:
            raise SystemExit(f"{url}: {have} clients from an older run; drop the bench database first")
        print(f"generating {CLIENTS:,} clients into {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]} …")
        generate(app)
    with app.app_context():
        add_birthdays()
        add_name_keys()
    return app


def add_name_keys() -> None:
    """Each client's key for finding duplicates (查重), as the app writes it: a database generated
    without them had none, and its planner took the index on them for useless (a full scan of the
    clients on every manager's client page, looking for archives to merge)."""
    from crmweb.clients import rules
    from crmweb.clients.models import Client
    from crmweb.extensions import db

    if db.session.scalar(sa.select(Client.id).where(Client.name_key.is_not(None)).limit(1)):
        return
    print("adding the duplicate-finding keys to the bench clients …", flush=True)
    clients = db.session.execute(sa.select(Client.id, Client.name)).all()
    db.session.execute(sa.update(Client.__table__).where(Client.__table__.c.id == sa.bindparam("client_id"))
                       .values(name_key=sa.bindparam("key")),
                       [{"client_id": row.id, "key": rules.company_key(row.name)} for row in clients])
    db.session.commit()
    statement = "VACUUM ANALYZE clients" if db.engine.dialect.name == "postgresql" else "ANALYZE clients"
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(statement)


def add_birthdays() -> None:
    """Three contacts in five with a birthday (a third of those lunar), spread over the year's
    days, as address books have them; added once, also to a database generated without them."""
    from crmweb.clients.models import Contact
    from crmweb.extensions import db

    if db.session.scalar(sa.select(Contact.id).where(Contact.birth_month.is_not(None)).limit(1)):
        return
    print("adding birthdays to the bench contacts …", flush=True)
    db.session.execute(sa.update(Contact).where(Contact.id % 5 < 3).values(
        birthday_calendar=sa.case((Contact.id % 5 == 0, "lunar"), else_="solar"),
        birth_month=1 + Contact.id % 12, birth_day=1 + (Contact.id // 12) % 28))
    db.session.commit()
    statement = "VACUUM ANALYZE contacts" if db.engine.dialect.name == "postgresql" else "ANALYZE contacts"
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(statement)


def sample_queries(app, rng: random.Random) -> list[tuple[str, str]]:
    """What staff type: names and their middle parts, pinyin and initials, contacts, phone tails."""
    from crmweb.clients.models import Client, Contact
    from crmweb.clients.names import pinyin_forms
    from crmweb.extensions import db

    with app.app_context():
        ids = rng.sample(range(1, CLIENTS + 1), 60)
        clients = db.session.scalars(sa.select(Client).where(Client.id.in_(ids))).all()
        contacts = db.session.scalars(sa.select(Contact).where(Contact.client_id.in_(ids))).all()
    queries = []
    for client in clients:
        queries += [("full name", client.name), ("two characters inside", client.name[2:4]),
                    ("initials", pinyin_forms(client.name)[1][:4]),
                    ("pinyin", pinyin_forms(client.name[2:4])[0])]
    for contact in contacts[:60]:
        queries += [("contact name", contact.name), ("phone tail", contact.mobile[-4:]),
                    ("mobile", contact.mobile[3:])]
    return queries


def timed_get(client, url: str, headers=None) -> float:
    started = time.perf_counter()
    response = client.get(url, headers=headers or {})
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def p95(values):
    return statistics.quantiles(values, n=20)[-1]


def run(url: str, label: str, write_result) -> None:
    from sqlalchemy import event

    from crmweb.extensions import db

    app = prepare(url)
    client = app.test_client()
    client.environ_base["HTTP_HX_REQUEST"] = "true"
    with app.app_context():
        app.config["WTF_CSRF_ENABLED"] = False
    client.post("/login", data={"username": "bench.manager", "password": "bench-password-1"})
    rng = random.Random(11)
    queries = sample_queries(app, rng)
    by_kind: dict[str, list[float]] = {}
    for _warm in range(2):
        for _kind, query in queries[:20]:
            timed_get(client, f"/clients?q={query}")
    all_times = []
    for kind, query in queries:
        elapsed = timed_get(client, f"/clients?q={query}")
        by_kind.setdefault(kind, []).append(elapsed)
        all_times.append(elapsed)

    statements = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(1))
    with app.app_context():
        owner_id = db.session.scalar(sa.text("SELECT min(owner_id) FROM clients"))
    list_urls = ["/clients", "/clients?page=2", "/clients?page=3", "/clients?tier=key",
                 "/clients?stage=prospect", f"/clients?owner={owner_id}", "/clients?overdue=1",
                 "/clients?vip=eligible"]
    list_times, list_statements = {}, {}
    for repeat in range(6):
        for url in list_urls:
            statements.clear()
            elapsed = timed_get(client, url)
            if repeat:  # the first round warms caches and compiles templates
                list_times.setdefault(url, []).append(elapsed)
                list_statements[url] = len(statements)
    deep_page_ms = timed_get(client, "/clients?page=1000")
    detail_times, detail_statements = [], set()
    page_client = app.test_client()
    page_client.post("/login", data={"username": "bench.manager", "password": "bench-password-1"})
    for n, client_id in enumerate([rng.randint(1, CLIENTS) for _ in range(25)]):
        statements.clear()
        elapsed = timed_get(page_client, f"/clients/{client_id}")
        if n:
            detail_times.append(elapsed)
            detail_statements.add(len(statements))
    all_list = [t for times in list_times.values() for t in times]
    list_p95 = p95(all_list)
    detail_p95 = p95(detail_times)

    search_p95 = p95(all_times)
    write_result(f"client_search_{label}", {
        "database": label, "clients": CLIENTS, "contacts": CLIENTS * CONTACTS_PER_CLIENT,
        "interactions": CLIENTS * INTERACTIONS_PER_CLIENT, "queries": len(all_times),
        "search_p50_ms": round(statistics.median(all_times), 2), "search_p95_ms": round(search_p95, 2),
        "search_p95_ms_by_kind": {kind: round(max(times), 2) if len(times) < 20 else round(p95(times), 2)
                                  for kind, times in by_kind.items()},
        "list_p95_ms": round(list_p95, 2),
        "list_p95_ms_by_page": {url: round(max(times), 2) for url, times in list_times.items()},
        "list_statements_by_page": list_statements, "deep_page_1000_ms": round(deep_page_ms, 2),
        "client_page_p95_ms": round(detail_p95, 2), "client_page_statements": sorted(detail_statements),
        "bar_search_p95_ms": SEARCH_BAR_MS, "bar_list_p95_ms": LIST_BAR_MS,
        "bar_met": search_p95 < SEARCH_BAR_MS and list_p95 < LIST_BAR_MS and detail_p95 < LIST_BAR_MS,
        "note": "server time measured in-process through the Flask test client (routing, SQL, template)",
        "summary": f"search p95 {search_p95:.1f} ms (p50 {statistics.median(all_times):.1f} ms), "
                   f"list pages p95 {list_p95:.1f} ms, client page p95 {detail_p95:.1f} ms"})
