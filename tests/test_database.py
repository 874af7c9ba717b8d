"""SQLite as the embedded default: WAL, and writers that queue instead of failing."""
import multiprocessing

import pytest
import sqlalchemy as sa

from crmweb.auth.models import AuditEvent
from crmweb.extensions import db
from tests.conftest import gen_user, planned_rows

REQUESTS_PER_WORKER = 40


def hammer(database_url: str, username: str, results):
    """One worker process: sign in, then make write requests that read before they write."""
    from crmweb import create_app
    from tests.conftest import CrmClient, app_config, log_in

    app = create_app(app_config(database_url))
    app.test_client_class = CrmClient
    client = app.test_client()
    statuses = [log_in(client, username).status_code]
    for i in range(REQUESTS_PER_WORKER):
        language = "en" if i % 2 else "zh_CN"
        statuses.append(client.post("/language", data={"lang": language, "next": "/"}).status_code)
        statuses.append(client.post("/logout").status_code)
        statuses.append(log_in(client, username).status_code)
    results.put(statuses)


def test_two_worker_processes_writing_at_once_never_fail(app, database_url):
    users = [gen_user(app, "sales").username for _ in range(2)]
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [context.Process(target=hammer, args=(database_url, name, results)) for name in users]
    for worker in workers:
        worker.start()
    statuses = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert all(status == 302 for worker_statuses in statuses for status in worker_statuses), statuses
    with app.app_context():
        logins = db.session.scalar(sa.select(sa.func.count(AuditEvent.id))
                                   .where(AuditEvent.action == "login"))
    assert logins == 2 * (REQUESTS_PER_WORKER + 1)


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite settings: this run uses PostgreSQL")
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_state_column_refuses_a_value_its_enum_does_not_list(app):
    from crmweb.clients.models import Client
    from crmweb.timeutil import utcnow

    with app.app_context():
        db.session.add(Client(name="坏数据", stage="bogus", tier="general", kind="company",
                              vip_status="none", created_at=utcnow(), updated_at=utcnow()))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_the_app_answers_when_postgresql_drops_every_connection(app, client, login_as):
    """What a restart of PostgreSQL does to a running app: its pooled connections die. The next
    request gets a fresh one, and what was written before is there."""
    from crmweb.clients.models import Client
    from tests.clients.helpers import make_client

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL restarts: this run uses SQLite")
    owner = login_as("sales")
    client_id = make_client(app, owner, "华通机械有限公司")
    assert client.get("/clients").status_code == 200  # the pool holds a connection now
    with app.app_context():
        killer = sa.create_engine(db.engine.url, poolclass=sa.pool.NullPool)
        with killer.connect() as connection:
            dropped = connection.execute(sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
        killer.dispose()
    assert dropped >= 1
    page = client.get(f"/clients/{client_id}")
    assert page.status_code == 200 and "华通机械有限公司" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Client, client_id) is not None


def test_an_autocommit_connection_keeps_what_it_did_on_either_database(app):
    """ANALYZE after a bulk load runs outside a transaction; on SQLite it was once wrapped in a BEGIN
    that nothing committed, and the planner's statistics were silently thrown away."""
    with app.app_context():
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("CREATE TABLE kept_by_autocommit (n INTEGER)")
        try:
            assert "kept_by_autocommit" in sa.inspect(db.engine).get_table_names()
        finally:
            with db.engine.begin() as connection:
                connection.exec_driver_sql("DROP TABLE IF EXISTS kept_by_autocommit")


def test_the_nightly_job_brings_every_tables_statistics_up_to_date(app):
    """SQLite keeps what the last ANALYZE saw for ever: a table analysed nearly empty (here the
    search terms' counts) is then read whole instead of looked up by key."""
    from crmweb.backups import area
    from crmweb.database import refresh_statistics
    from crmweb.kb.models import TermStats

    assert refresh_statistics in [function for function, _cron in area.periodic]
    lookup = "SELECT articles FROM kb_term_stats WHERE term IN ('w:甲', 'w:乙')"
    gen_user(app, "manager")
    with app.app_context():
        db.session.add(TermStats(term="w:甲", articles=1))
        db.session.commit()
        refresh_statistics(["kb_term_stats"])
        analysed = planned_rows("kb_term_stats")
        db.session.add_all(TermStats(term=f"w:词{n}", articles=1) for n in range(300))
        db.session.commit()
        assert planned_rows("kb_term_stats") == analysed < 5
        refresh_statistics()
        assert planned_rows("kb_term_stats") == analysed + 300
        assert planned_rows("users") == 1  # every table, not only the one named before
        if db.engine.dialect.name == "sqlite":
            plan = " ".join(row[-1] for row in db.session.execute(sa.text("EXPLAIN QUERY PLAN " + lookup)))
            assert plan.startswith("SEARCH"), plan


def test_many_rows_at_once_arrive_as_an_insert_would_write_them(app):
    """insert_rows (COPY on PostgreSQL): the table's plain defaults filled in, aware UTC stored as
    UTC, every value back as given."""
    from datetime import UTC, datetime, timedelta, timezone

    from crmweb.clients.models import Client, Contact
    from crmweb.database import insert_rows, insert_with_ids

    beijing_noon = datetime(2026, 12, 7, 12, 0, tzinfo=timezone(timedelta(hours=8)))
    with app.app_context():
        [client_id] = insert_with_ids(Client.__table__, [{"name": "甲公司", "created_at": beijing_noon,
                                                          "updated_at": beijing_noon}])
        insert_rows(Contact.__table__, [
            {"client_id": client_id, "name": "张三", "mobile": "+8613900000001", "created_at": beijing_noon},
            {"client_id": client_id, "name": "李四\t（“引号”\\）\n", "mobile": None,
             "created_at": beijing_noon}])
        db.session.commit()
        client = db.session.get(Client, client_id)
        contacts = db.session.scalars(sa.select(Contact).order_by(Contact.id)).all()
    assert (client.kind, client.stage, client.tier) == ("company", "prospect", "general")
    assert client.created_at == datetime(2026, 12, 7, 4, 0, tzinfo=UTC)
    assert [(c.name, c.mobile, c.greetings_opt_out, c.is_key_person) for c in contacts] == [
        ("张三", "+8613900000001", False, False), ("李四\t（“引号”\\）\n", None, False, False)]
    assert all(c.created_at == datetime(2026, 12, 7, 4, 0, tzinfo=UTC) for c in contacts)
