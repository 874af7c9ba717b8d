"""The seam to RQ: enqueue work, the worker that runs it, the periodic jobs.

Job functions take ids, load fresh state, check whether the work is already done, do it and
record it: RQ runs a job at least once (a killed worker's job may run again), so running one twice
must change nothing. The work itself is always in the database first (the outbox's rows, …);
a job is only the nudge to do it now, so a nudge lost while Redis is down is given again by the
periodic sweep. Without REDIS_URL (the one-machine trial) jobs run in the process that asks.

redis and rq are imported on first use: commands and pages that queue nothing start faster.
"""
import logging
from collections.abc import Callable
from datetime import datetime

from flask import current_app

from crmweb.extensions import db

QUEUE_NAME = "crmweb"
log = logging.getLogger(__name__)


def redis_connection():
    from redis import Redis  # noqa: PLC0415 (only when Redis is configured)

    return Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=2)


def queue():
    from rq import Queue  # noqa: PLC0415 (only when Redis is configured)

    return Queue(QUEUE_NAME, connection=redis_connection())


def queue_depth() -> int:
    return queue().count


def enqueue(function: Callable, *ids, job_id: str | None = None, at: datetime | None = None) -> bool:
    """Ask a worker to run `function(*ids)` (at `at`, UTC, when given). Without Redis configured it
    runs here and now. Returns whether the work was handed over; when Redis cannot be reached the
    request that asked still succeeds — its work waits in the database for the sweep."""
    if not current_app.config["REDIS_URL"]:
        function(*ids)
        return True
    from redis.exceptions import RedisError  # noqa: PLC0415 (only when Redis is configured)

    options = {"job_id": job_id, "result_ttl": 0, "failure_ttl": 7 * 24 * 3600}
    try:
        if at is None:
            queue().enqueue(function, *ids, **options)
        else:
            queue().enqueue_at(at, function, *ids, **options)
    except RedisError as error:
        log.warning("Redis unreachable, %s left for the sweep: %s", function.__name__, error)
        return False
    return True


def make_worker(app):
    """An RQ worker for the app's queue that runs each job in the app's context. The app is made
    once, by the command that starts the worker; jobs run in the worker's own process (no fork per
    job), each with a fresh database session."""
    from rq import SimpleWorker  # noqa: PLC0415 (only in the worker process)

    class AppWorker(SimpleWorker):
        def perform_job(self, job, queue):
            with app.app_context():
                try:
                    return super().perform_job(job, queue)
                finally:
                    db.session.remove()

    with app.app_context():
        return AppWorker([QUEUE_NAME], connection=redis_connection())
