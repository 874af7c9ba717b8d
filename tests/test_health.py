"""/healthz reports the database, Redis and the queue depth, talking to the real services."""
import os

import pytest
import redis
from rq import Queue

from crmweb import create_app
from crmweb.jobs import QUEUE_NAME
from tests.conftest import app_config, require_service
from tests.messages.processes import free_port

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        reachable = True
    except redis.exceptions.ConnectionError:
        reachable = False
    require_service(reachable, f"Redis is not reachable at {REDIS_URL}")
    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    yield REDIS_URL
    connection.flushdb()


def test_health_without_redis_configured(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"database": "ok", "redis": "not configured", "queue_depth": None}


def test_health_with_redis_reports_the_queue_depth(database_url, redis_url):
    app = create_app(app_config(database_url, REDIS_URL=redis_url))
    with app.app_context():
        queue = Queue(QUEUE_NAME, connection=redis.Redis.from_url(redis_url))
        queue.enqueue("builtins.print", "one")
        queue.enqueue("builtins.print", "two")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"database": "ok", "redis": "ok", "queue_depth": 2}


def test_dead_redis_makes_health_fail(database_url):
    app = create_app(app_config(database_url, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["redis"] == "down" and response.json["database"] == "ok"


def test_dead_database_makes_health_fail(tmp_path):
    app = create_app(app_config(f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "down"
