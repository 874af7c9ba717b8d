"""A worker killed (SIGKILL) in the middle of a 500-message send, and a new one started: every
message reaches the provider exactly once (the one in flight is asked of the provider by our id)."""

import os
import sys
import time

import sqlalchemy as sa

from crmweb import create_app
from crmweb.extensions import db
from crmweb.messages import outbox
from crmweb.messages.jobs import sweep
from crmweb.messages.models import OutboxMessage
from crmweb.timeutil import utcnow
from tests.conftest import app_config
from tests.messages import fake_sms, processes

PROJECT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MESSAGES = 500


def sms_config(url):
    return {
        "SMS_PROVIDER": "aliyun",
        "SMS_SIGN_NAME": "华通",
        "ALIYUN_ACCESS_KEY_ID": "key",
        "ALIYUN_ACCESS_KEY_SECRET": fake_sms.ALIYUN_SECRET,
        "ALIYUN_SMS_ENDPOINT": url,
        "OUTBOX_STUCK_SECONDS": "1",
    }


def worker(database_url, redis_url, url, burst):
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url, **sms_config(url)}
    command = [sys.executable, "-m", "flask", "--app", "crmweb:create_app", "worker"] + (
        ["--burst"] if burst else []
    )
    return processes.start(command, PROJECT, env)


def test_a_worker_killed_mid_send_and_a_new_one_deliver_every_message_exactly_once(database_url, redis_url):
    server, url, received = fake_sms.start(delay=0.004)
    try:
        app = create_app(
            app_config(database_url, REDIS_URL=redis_url, **{**sms_config(url), "OUTBOX_STUCK_SECONDS": 1})
        )
        with app.app_context():
            ids = outbox.queue_messages(
                [
                    {
                        "idempotency_key": f"greeting:{n}",
                        "channel": "sms",
                        "recipient": f"+86139{n:08d}",
                        "body": "中秋快乐",
                        "provider_template": "SMS_1",
                        "params": "{}",
                    }
                    for n in range(MESSAGES)
                ],
                utcnow(),
            )
            db.session.commit()
            outbox.hand_over(ids)  # five jobs of a hundred
        first = worker(database_url, redis_url, url, burst=False)
        deadline = time.monotonic() + 60
        while len(received) < MESSAGES // 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        processes.kill(first)  # mid-send, no goodbye
        assert MESSAGES // 3 <= len(received) < MESSAGES, "the worker was not killed mid-send"
        time.sleep(1.2)  # the dead worker's claim is now older than OUTBOX_STUCK_SECONDS
        with app.app_context():
            sweep()  # asks the provider about the claim in flight, hands the rest over again
        second = worker(database_url, redis_url, url, burst=True)
        assert second.wait(timeout=120) == 0, second.stderr.read().decode()[-2000:]
        out_ids = sorted(int(out_id) for _provider, out_id, *_rest in received)
        assert out_ids == sorted(ids)  # each once: none lost, none twice
        with app.app_context():
            statuses = db.session.scalars(sa.select(OutboxMessage.status).distinct()).all()
            assert statuses == ["sent"]
            db.session.remove()
            db.engine.dispose()
    finally:
        server.shutdown()
