"""/healthz: what an operator's monitor asks — is the database up, is Redis up, how long is the queue."""
import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from crmweb import jobs
from crmweb.area import Area
from crmweb.auth.permissions import public
from crmweb.extensions import db

bp = Blueprint("health", __name__)


@bp.route("/healthz")
@public
def healthz():
    report = {"database": "ok", "redis": "not configured", "queue_depth": None}
    healthy = True
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        current_app.logger.exception("health check: database unreachable")
        report["database"] = "down"
        healthy = False
    if current_app.config["REDIS_URL"]:
        from redis.exceptions import RedisError  # noqa: PLC0415 (only when Redis is configured)

        try:
            report["queue_depth"] = jobs.queue_depth()
            report["redis"] = "ok"
        except RedisError:
            report["redis"] = "down"
            healthy = False
    return jsonify(report), 200 if healthy else 503


area = Area(bp)
