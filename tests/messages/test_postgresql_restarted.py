"""PostgreSQL restarted for real (a cluster of the test's own, so the machine's is left alone) while a
worker is in the middle of a 300-message send: the app answers again as soon as the database is
back, and every message reaches the provider exactly once — those the restart interrupted are handed
over again by the sweep (the cron's job), the one in flight asked of the provider by our id."""

import os
import shutil
import subprocess
import tempfile
import time

import pytest
import sqlalchemy as sa

from crmweb import create_app
from crmweb.database import upgrade_schema
from crmweb.extensions import db
from crmweb.messages import outbox
from crmweb.messages.jobs import sweep
from crmweb.messages.models import OutboxMessage
from crmweb.timeutil import utcnow
from tests.conftest import app_config, require_service
from tests.messages import fake_sms, processes
from tests.messages.test_worker_killed import sms_config, worker

MESSAGES = 300


def _as_postgres(*command: str) -> list[str]:
    """PostgreSQL refuses to run as root: the server's own user runs it then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


@pytest.fixture
def own_postgresql():
    found = shutil.which("pg_config")
    require_service(found is not None, "PostgreSQL's server programs are not installed")
    bindir = subprocess.run([found, "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
    home = tempfile.mkdtemp(prefix="crmweb-pg-")
    if os.geteuid() == 0:
        shutil.chown(home, "postgres")
    port = processes.free_port()
    data = os.path.join(home, "data")
    subprocess.run(_as_postgres(f"{bindir}/initdb", "-A", "trust", "-U", "postgres", "-D", data),
                   check=True, capture_output=True)
    options = f"-p {port} -k {home} -c listen_addresses=127.0.0.1"

    def pg_ctl(*arguments):  # the server's output to its log: a pipe would keep pg_ctl waiting
        subprocess.run(_as_postgres(f"{bindir}/pg_ctl", "-D", data, "-w", "-o", options,
                                    "-l", os.path.join(home, "log"), *arguments), check=True)

    pg_ctl("start")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", pg_ctl
    finally:
        subprocess.run(_as_postgres(f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"),
                       capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


def test_postgresql_restarted_mid_send_loses_and_repeats_nothing(own_postgresql, redis_url):
    database_url, pg_ctl = own_postgresql
    server, url, received = fake_sms.start(delay=0.004)
    try:
        app = create_app(app_config(database_url, REDIS_URL=redis_url, **{**sms_config(url),
                                                                         "OUTBOX_STUCK_SECONDS": 1}))
        with app.app_context():
            upgrade_schema()
            ids = outbox.queue_messages([
                {"idempotency_key": f"greeting:{n}", "channel": "sms", "recipient": f"+86139{n:08d}",
                 "body": "元旦快乐", "provider_template": "SMS_1", "params": "{}"}
                for n in range(MESSAGES)], utcnow())
            db.session.commit()
            outbox.hand_over(ids)
        running = worker(database_url, redis_url, url, burst=False)
        try:
            deadline = time.monotonic() + 60
            while len(received) < MESSAGES // 4 and time.monotonic() < deadline:
                time.sleep(0.01)
            pg_ctl("-m", "fast", "restart")  # every connection of the app and the worker dies
            assert len(received) < MESSAGES, "the send was over before the restart"
            monitor = app.test_client()
            assert monitor.get("/healthz").status_code == 200  # the pool's dead connections replaced
            assert monitor.get("/login").status_code == 200
            time.sleep(1.2)  # what the restart interrupted is now older than OUTBOX_STUCK_SECONDS
            with app.app_context():
                sweep()
            deadline = time.monotonic() + 90
            while len(received) < MESSAGES and time.monotonic() < deadline:
                time.sleep(1)
                with app.app_context():  # as cron does (every minute there), until nothing is left
                    sweep()
        finally:
            processes.stop(running)
        out_ids = sorted(int(out_id) for _provider, out_id, *_rest in received)
        assert out_ids == sorted(ids)  # each once: none lost, none twice
        with app.app_context():
            assert db.session.scalars(sa.select(OutboxMessage.status).distinct()).all() == ["sent"]
            db.session.remove()
            db.engine.dispose()
    finally:
        server.shutdown()
