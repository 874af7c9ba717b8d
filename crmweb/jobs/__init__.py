"""The seam to RQ: the queue the app enqueues to and the workers listen on."""
from flask import current_app
from redis import Redis
from redis.exceptions import RedisError  # noqa: F401  (callers catch it from here)
from rq import Queue

QUEUE_NAME = "crmweb"


def redis_connection() -> Redis:
    return Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=2,
                          socket_timeout=2)


def queue_depth() -> int:
    return Queue(QUEUE_NAME, connection=redis_connection()).count
