"""Fixtures in the flaskr shape: app, client, hx_client, runner, login_as(role).

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set. The schema
is built once per run by the real Alembic migrations; each test then starts from empty tables.
"""
import os
import re
import secrets
import tempfile

import pytest

os.environ.setdefault("CRMWEB_INSTANCE_PATH", tempfile.mkdtemp(prefix="crmweb-test-"))

import sqlalchemy as sa  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from itsdangerous import URLSafeTimedSerializer  # noqa: E402

from crmweb import create_app  # noqa: E402
from crmweb.auth import services  # noqa: E402
from crmweb.extensions import db  # noqa: E402
from crmweb.timeutil import utcnow  # noqa: E402

IN_CI = os.environ.get("CI") == "true"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
TEST_PASSWORD = "correct-horse-battery"


def require_service(available: bool, reason: str):
    """A test needing a missing service skips on a laptop and fails in CI."""
    if not available:
        if IN_CI:
            pytest.fail(f"CI=true and {reason}")
        pytest.skip(reason)


class CrmClient(FlaskClient):
    """A test client that sends the CSRF token as htmx does (X-CSRFToken), unless told not to."""

    send_csrf = True

    def open(self, *args, **kwargs):
        method = (kwargs.get("method") or "GET").upper()
        if self.send_csrf and method not in SAFE_METHODS:
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRFToken", self.csrf_token())
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", secrets.token_hex(20))
        return URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token").dumps(raw)


def _test_database_url(tmp_root: str) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_root}/test.sqlite3"


def app_config(database_url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "REDIS_URL": None,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        **extra,
    }


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """An empty database brought to the newest schema by the migrations themselves."""
    from crmweb.database import upgrade_schema as upgrade

    url = _test_database_url(str(tmp_path_factory.mktemp("db")))
    app = create_app(app_config(url))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(app_config(database_url, DOCUMENTS_DIR=str(tmp_path / "documents")))
    app.test_client_class = CrmClient
    yield app
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def hx_client(app):
    """A client whose every request is an htmx (fragment) request."""
    hx = app.test_client()
    hx.environ_base["HTTP_HX_REQUEST"] = "true"
    return hx


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def gen_user(app, role: str, username: str | None = None, password: str = TEST_PASSWORD,
             **changes):
    with app.app_context():
        user = services.create_user(None, username or f"{role}{secrets.token_hex(3)}",
                                    f"测试{role}", role, password, utcnow())
        for name, value in changes.items():
            setattr(user, name, value)
        db.session.commit()
        db.session.refresh(user)
        db.session.expunge(user)
        return user


def log_in(client, username: str, password: str = TEST_PASSWORD, **kwargs):
    return client.post("/login", data={"username": username, "password": password}, **kwargs)


@pytest.fixture
def login_as(app, client):
    """login_as("manager") → a new user of that role, signed in on `client`."""
    def sign_in(role: str, on=None, **changes):
        user = gen_user(app, role, **changes)
        response = log_in(on or client, user.username)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user
    return sign_in


def csrf_token_in(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def planned_rows(table: str) -> int | None:
    """How many rows the planner believes `table` has, from its last statistics (None: never
    analysed). Inside an app context; read outside any transaction, so beside a session's writing one."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if connection.dialect.name == "postgresql":
            rows = connection.scalar(sa.text("SELECT reltuples FROM pg_class WHERE relname = :t"),
                                     {"t": table})
            return None if rows is None or rows < 0 else int(rows)
        if not connection.scalar(sa.text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")):
            return None
        stat = connection.scalar(sa.text("SELECT stat FROM sqlite_stat1 WHERE tbl = :t LIMIT 1"),
                                 {"t": table})
        return None if stat is None else int(stat.split()[0])
