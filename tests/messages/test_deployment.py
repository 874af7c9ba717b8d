"""The production shape on one machine (docs/deploy.md): gunicorn with two processes, an RQ worker
and the cron process against PostgreSQL and Redis; a manager signs in over HTTP and sends one
greeting, which reaches a real SMTP server on loopback."""

import os
import re
import sys
import time
from datetime import time as clock

import pytest
import requests
import sqlalchemy as sa

from crmweb import create_app
from crmweb.auth.actors import CommandLineActor
from crmweb.database import upgrade_schema
from crmweb.extensions import db
from crmweb.settings import set_setting
from crmweb.timeutil import utcnow
from tests.clients.helpers import make_client
from tests.conftest import TEST_PASSWORD, app_config, gen_user, require_service
from tests.messages import processes

PROJECT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DEPLOY_DB = "crmweb_deploy_test"


@pytest.fixture
def deploy_database():
    try:
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {DEPLOY_DB} WITH (FORCE)"))
            connection.execute(sa.text(f"CREATE DATABASE {DEPLOY_DB}"))
    except sa.exc.OperationalError:
        require_service(False, "PostgreSQL is not reachable at 127.0.0.1:5432")
    yield sa.engine.make_url(PG_ADMIN).set(database=DEPLOY_DB).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {DEPLOY_DB} WITH (FORCE)"))
    admin.dispose()


def test_gunicorn_a_worker_and_cron_send_a_greeting_end_to_end(deploy_database, redis_url, mailbox, tmp_path):
    settings = app_config(deploy_database, REDIS_URL=redis_url, SMTP_URL=mailbox.url)
    app = create_app(settings)
    with app.app_context():
        upgrade_schema()
        set_setting("messages.quiet_end", clock(8, 0), CommandLineActor(), utcnow())  # no quiet hours
        db.session.commit()
    manager = gen_user(app, "manager")
    make_client(
        app,
        manager,
        "徐州华通机械有限公司",
        tier="key",
        contacts=[{"name": "王明", "email": "wang@example.cn"}],
    )
    with app.app_context():
        db.engine.dispose()

    env = {
        **os.environ,
        "DATABASE_URL": deploy_database,
        "REDIS_URL": redis_url,
        "SMTP_URL": mailbox.url,
        "SECRET_KEY": "deploy-test-secret",
        "CRMWEB_INSTANCE_PATH": str(tmp_path),
        "FLASK_APP": "wsgi",
    }
    port = processes.free_port()
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    running = [
        processes.start([sys.executable, "-m", "gunicorn", "-w", "2", "--preload", "-b", f"127.0.0.1:{port}",
                         "wsgi:app"], PROJECT, env),
        processes.start([*flask, "worker"], PROJECT, env),
        processes.start([*flask, "cron"], PROJECT, env),
    ]
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                health = requests.get(f"{base}/healthz", timeout=20)  # the first request warms the app
                break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        assert health.status_code == 200 and health.json()["redis"] == "ok", health.text
        browser = requests.Session()
        token = re.search(
            r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"',
            browser.get(f"{base}/login", timeout=30).text,
        ).group(1)
        signed_in = browser.post(
            f"{base}/login",
            data={"username": manager.username, "password": TEST_PASSWORD, "csrf_token": token},
            allow_redirects=False,
            timeout=30,
        )
        assert signed_in.status_code == 302
        page = browser.get(f"{base}/messages/templates/new", timeout=30).text
        token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
        headers = {"X-CSRFToken": token, "Referer": base}
        created = browser.post(
            f"{base}/messages/templates/new",
            headers=headers,
            allow_redirects=False,
            timeout=30,
            data={
                "name": "新年问候",
                "channel": "email",
                "subject": "新年快乐",
                "body": "{称呼}您好，新年快乐！",
                "provider_template": "",
                "provider_params": "",
            },
        )
        assert created.status_code == 303, created.text[:500]
        with app.app_context():
            template_id = db.session.scalar(sa.text("SELECT max(id) FROM message_templates"))
            db.engine.dispose()
        sent = browser.post(
            f"{base}/messages/send",
            headers=headers,
            allow_redirects=False,
            timeout=30,
            data={"template_id": template_id, "tier": "key"},
        )
        assert sent.status_code == 303, sent.text[:500]
        deadline = time.monotonic() + 30
        while not mailbox.messages and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(mailbox.messages) == 1 and "王明您好，新年快乐！" in mailbox.texts()[0]
        assert all(process.poll() is None for process in running), "a process of the deployment died"
    finally:
        for process in running:
            processes.stop(process)
