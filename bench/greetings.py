"""10,000 greetings, from the send request to all delivered to a local SMTP sink by 2 workers
(DESIGN.md §5: ≤ 60 s, the request itself < 1 s, 0 duplicates, 0 lost), on SQLite and PostgreSQL.

The request only writes the send; a worker fans it out into the outbox and hands the messages to
both workers in batches. Real Redis (database 14), real RQ workers (`flask worker`), a real SMTP
server on loopback (aiosmtpd) counting what arrives by outbox id.
"""

import tempfile
import time
from datetime import time as clock

import sqlalchemy as sa

from bench import fresh_schema
from bench.servers import REDIS_URL, Sink, free_port, rq_workers, stop_workers

MESSAGES, WORKERS = 10_000, 2
BAR_SECONDS, REQUEST_BAR_SECONDS = 60.0, 1.0


def _prepare(url: str):
    """A fresh database: one manager, 10,000 clients with one contact each, an email template."""
    from crmweb import create_app
    from crmweb.auth import services as auth
    from crmweb.auth.actors import CommandLineActor
    from crmweb.clients.models import Client, Contact
    from crmweb.database import insert_with_ids
    from crmweb.extensions import db
    from crmweb.messages.models import MessageTemplate
    from crmweb.settings import set_setting
    from crmweb.timeutil import utcnow

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "REDIS_URL": REDIS_URL})
    with app.app_context():
        fresh_schema()
        now = utcnow()
        manager = auth.create_user(None, "bench.manager", "经理", "manager", "bench-password-1", now)
        ids = insert_with_ids(
            Client.__table__,
            [
                {
                    "name": f"测试客户{n:05d}有限公司",
                    "kind": "company",
                    "sort_key": f"k{n:05d}",
                    "stage": "customer",
                    "tier": "key",
                    "vip_status": "none",
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(MESSAGES)
            ],
        )
        db.session.execute(
            sa.insert(Contact.__table__),
            [
                {
                    "client_id": client_id,
                    "name": f"联系人{n}",
                    "email": f"contact{n}@example.cn",
                    "created_at": now,
                    "birthday_leap_month": False,
                    "greetings_opt_out": False,
                    "is_key_person": True,
                }
                for n, client_id in enumerate(ids)
            ],
        )
        template = MessageTemplate(
            name="问候", channel="email", subject="节日问候", body="{姓名}：节日快乐！", updated_at=now
        )
        db.session.add(template)
        for key, value in (("messages.quiet_end", clock(8, 0)), ("messages.daily_cap", 5)):  # any hour
            set_setting(key, value, CommandLineActor(), now)
        db.session.commit()
        return app, manager.id, template.id


def run(url: str, label: str, write_result) -> None:
    import redis
    from aiosmtpd.controller import Controller

    from crmweb.auth.models import User
    from crmweb.extensions import db
    from crmweb.messages import sending
    from crmweb.messages.models import MessageTemplate, OutboxMessage
    from crmweb.timeutil import utcnow

    if url.startswith("sqlite"):
        url = f"sqlite:///{tempfile.mkdtemp()}/greetings.sqlite3"
    redis.Redis.from_url(REDIS_URL).flushdb()
    print(f"writing {MESSAGES:,} clients for the greetings bench on {label} …", flush=True)
    app, manager_id, template_id = _prepare(url)
    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    env = {"DATABASE_URL": url, "REDIS_URL": REDIS_URL, "SMTP_URL": f"smtp://127.0.0.1:{port}"}
    workers = rq_workers(WORKERS, env)
    try:
        with app.app_context():
            app.config["SMTP_URL"] = env["SMTP_URL"]
            started = time.perf_counter()
            sending.create_send(
                db.session.get(User, manager_id),
                db.session.get(MessageTemplate, template_id),
                sending.Selection(tier="key"),
                None,
                utcnow(),
            )
            request_seconds = time.perf_counter() - started
        while len(set(sink.ids)) < MESSAGES and time.perf_counter() - started < 3 * BAR_SECONDS:
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        time.sleep(2)  # anything sent twice would arrive now
    finally:
        stop_workers(workers)
        controller.stop()
    with app.app_context():
        ours = set(db.session.scalars(sa.select(OutboxMessage.id)))
        db.engine.dispose()
    delivered, duplicates = len(set(sink.ids) & ours), len(sink.ids) - len(set(sink.ids))
    lost = MESSAGES - delivered
    met = seconds <= BAR_SECONDS and request_seconds < REQUEST_BAR_SECONDS and not duplicates and not lost
    write_result(
        f"greetings_{label}",
        {
            "database": label,
            "messages": MESSAGES,
            "workers": WORKERS,
            "seconds_to_all_delivered": round(seconds, 1),
            "send_request_seconds": round(request_seconds, 3),
            "duplicates": duplicates,
            "lost": lost,
            "bars": {"seconds": BAR_SECONDS, "request_seconds": REQUEST_BAR_SECONDS},
            "bar_met": met,
            "summary": f"{MESSAGES:,} emails delivered in {seconds:.1f} s by {WORKERS} workers (request "
            f"{request_seconds * 1000:.0f} ms), {duplicates} duplicates, {lost} lost",
        },
    )
