"""The seam to RQ: the queue the app enqueues to and the workers listen on.

redis and rq are imported on first use: commands and pages that queue nothing start faster.
"""
from flask import current_app

QUEUE_NAME = "crmweb"


def redis_connection():
    from redis import Redis  # noqa: PLC0415 (only when Redis is configured)

    return Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=2)


def queue_depth() -> int:
    from rq import Queue  # noqa: PLC0415 (only when Redis is configured)

    return Queue(QUEUE_NAME, connection=redis_connection()).count
