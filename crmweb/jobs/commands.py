"""`flask worker` and `flask cron`: run the app's jobs (N of the first, one of the second)."""
import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from crmweb import areas
from crmweb.jobs import QUEUE_NAME, make_worker, redis_connection


def _require_redis():
    if not current_app.config["REDIS_URL"]:
        raise click.ClickException(_("未配置 REDIS_URL：没有 Redis 时任务在请求中直接运行，不需要 worker。"))


@click.command("worker")
@click.option("--burst", is_flag=True, help="队列空了就退出（测试与维护用）。")
@with_appcontext
def worker_command(burst):
    """运行后台任务（RQ worker，含定时任务调度）。"""
    _require_redis()
    make_worker(current_app._get_current_object()).work(burst=burst, with_scheduler=True)


@click.command("cron")
@with_appcontext
def cron_command():
    """按计划把各区域的周期任务放入队列（全系统只运行一个）。"""
    from rq.cron import CronScheduler  # noqa: PLC0415 (only in the cron process)

    _require_redis()
    scheduler = CronScheduler(connection=redis_connection())
    for area in areas.AREAS:
        for function, cron in area.periodic:  # cron strings in UTC
            scheduler.register(function, QUEUE_NAME, cron=cron, job_timeout=600)
    scheduler.start()
