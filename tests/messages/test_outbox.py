"""The outbox: each message once by its key, sent once however often a job runs, through a real
SMTP server; handed to real RQ workers; nothing lost while Redis is down."""

import os
import subprocess
import sys
import threading
from datetime import time, timedelta

import sqlalchemy as sa

from crmweb import create_app
from crmweb.auth.actors import CommandLineActor
from crmweb.auth.models import User
from crmweb.extensions import db
from crmweb.messages import outbox, sending
from crmweb.messages.jobs import sweep as sweep_now
from crmweb.messages.models import MessageSend, MessageTemplate, OutboxMessage
from crmweb.settings import set_setting
from crmweb.timeutil import utcnow
from tests.clients.helpers import make_client
from tests.conftest import app_config, gen_user

PROJECT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def emails(n, prefix="greeting"):
    return [
        {
            "idempotency_key": f"{prefix}:{i}",
            "channel": "email",
            "recipient": f"client{i}@example.cn",
            "subject": "节日问候",
            "body": f"尊敬的客户{i}：祝您节日快乐！",
        }
        for i in range(n)
    ]


def queued(app, rows) -> list[int]:
    with app.app_context():
        outbox.queue_messages(rows, utcnow())
        db.session.commit()
        return db.session.scalars(sa.select(OutboxMessage.id).order_by(OutboxMessage.id)).all()


def statuses(app) -> list[str]:
    with app.app_context():
        return db.session.scalars(sa.select(OutboxMessage.status).order_by(OutboxMessage.id)).all()


def test_a_message_is_written_once_by_its_key(app):
    assert len(queued(app, emails(3))) == 3
    with app.app_context():
        assert len(outbox.queue_messages(emails(4), utcnow())) == 1  # three were there already
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 4


def test_the_same_job_run_twice_sends_each_message_once(app, mailbox):
    app.config["SMTP_URL"] = mailbox.url
    ids = queued(app, emails(3))
    with app.app_context():
        assert outbox.deliver(*ids) == 3
        assert outbox.deliver(*ids) == 0
    assert mailbox.outbox_ids() == ids
    assert mailbox.texts()[0].strip() == "尊敬的客户0：祝您节日快乐！"
    assert statuses(app) == ["sent"] * 3


def test_no_transaction_is_open_while_the_provider_answers(app, mailbox, monkeypatch):
    """Reading the claimed message again opened a transaction (on SQLite a write one) held through
    the SMTP exchange, and the other workers waited for it: the claim and the answer are each a
    short transaction of their own."""
    app.config["SMTP_URL"] = mailbox.url
    ids = queued(app, emails(2))
    open_during_send = []
    provider_for = outbox.provider_for

    def watched(channel):
        provider = provider_for(channel)
        send = provider.send

        def send_watched(message):
            open_during_send.append(db.session().in_transaction())
            return send(message)

        provider.send = send_watched
        return provider

    monkeypatch.setattr(outbox, "provider_for", watched)
    with app.app_context():
        assert outbox.deliver(*ids) == 2
    assert open_during_send == [False, False]
    assert mailbox.outbox_ids() == ids and statuses(app) == ["sent", "sent"]


def test_a_refusal_is_kept_with_its_reason_and_a_server_that_is_down_is_tried_again_later(app, mailbox):
    app.config["SMTP_URL"] = "smtp://127.0.0.1:1"  # nothing listens: nothing was handed over
    [message_id] = queued(app, emails(1))
    with app.app_context():
        outbox.deliver(message_id)
        row = db.session.get(OutboxMessage, message_id)
        assert row.status == "queued" and row.not_before > utcnow() and row.attempts == 1
        row.not_before = utcnow()
        db.session.commit()
    app.config["SMTP_URL"] = mailbox.url
    with app.app_context():
        assert outbox.deliver(message_id) == 1
    assert mailbox.outbox_ids() == [message_id]


def test_a_worker_that_died_mid_send_leaves_the_message_for_a_person_not_for_a_second_send(app, mailbox):
    app.config["SMTP_URL"] = mailbox.url
    [message_id] = queued(app, emails(1))
    with app.app_context():
        assert outbox.claim(message_id, utcnow())  # and then the worker was killed, an hour ago
        db.session.get(OutboxMessage, message_id).claimed_at = utcnow() - timedelta(hours=1)
        db.session.commit()
        sweep_now()
        assert db.session.get(OutboxMessage, message_id).status == "unknown"
        sweep_now()
    assert mailbox.messages == []


def _worker(database_url, redis_url, smtp_url):
    """`flask worker --burst`: a real RQ worker in a process of its own."""
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url, "SMTP_URL": smtp_url}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "crmweb:create_app", "worker", "--burst"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_two_sweeps_at_once_and_a_real_worker_send_each_message_once(app, database_url, redis_url, mailbox):
    ids = queued(app, emails(120))
    queueing = create_app(app_config(database_url, REDIS_URL=redis_url))

    def sweep():
        with queueing.app_context():
            sweep_now()

    sweeps = [threading.Thread(target=sweep) for _ in range(2)]
    for sweep in sweeps:
        sweep.start()
    for sweep in sweeps:
        sweep.join()
    finished = _worker(database_url, redis_url, mailbox.url)
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert mailbox.outbox_ids() == ids  # each once, none lost
    assert statuses(app) == ["sent"] * len(ids)


def test_with_redis_down_the_send_succeeds_and_the_messages_go_out_when_it_is_back(
    app, database_url, redis_url, mailbox
):
    unreachable = create_app(app_config(database_url, REDIS_URL="redis://127.0.0.1:1/0"))
    with unreachable.app_context():
        outbox.queue_messages(emails(5), utcnow())
        db.session.commit()
        ids = db.session.scalars(sa.select(OutboxMessage.id)).all()
        outbox.hand_over(ids)  # Redis is down: no error, the rows wait
    assert statuses(app) == ["queued"] * 5
    back = create_app(app_config(database_url, REDIS_URL=redis_url))
    with back.app_context():
        assert sweep_now() == 5
    assert _worker(database_url, redis_url, mailbox.url).returncode == 0
    assert mailbox.outbox_ids() == sorted(ids)


def test_a_send_made_while_redis_is_down_goes_out_when_it_is_back(app, database_url, redis_url, mailbox):
    owner = gen_user(app, "manager")
    make_client(app, owner, tier="key", contacts=[{"name": "赵强", "email": "zhao@example.cn"}])
    unreachable = create_app(app_config(database_url, REDIS_URL="redis://127.0.0.1:1/0"))
    with unreachable.app_context():
        set_setting("messages.quiet_end", time(8, 0), CommandLineActor(), utcnow())  # whatever the hour
        template = MessageTemplate(
            name="邀请", channel="email", subject="邀请", body="{姓名}您好", updated_at=utcnow()
        )
        db.session.add(template)
        db.session.commit()
        send = sending.create_send(
            db.session.get(User, owner.id), template, sending.Selection(tier="key"), None, utcnow()
        )  # the request succeeds
        assert db.session.get(MessageSend, send.id).status == "preparing"
    back = create_app(app_config(database_url, REDIS_URL=redis_url))
    with back.app_context():
        sweep_now()  # fans the send out (a job), whose messages the next sweep hands over
    assert _worker(database_url, redis_url, mailbox.url).returncode == 0
    with back.app_context():
        sweep_now()
    assert _worker(database_url, redis_url, mailbox.url).returncode == 0
    assert [text.split("\n")[0] for text in mailbox.texts()] == ["赵强您好"]
