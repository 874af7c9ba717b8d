"""`flask cases escalate-due [--at ISO]`: one escalation pass by hand (what the periodic job runs)."""

from datetime import UTC, datetime

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from crmweb.cases import services
from crmweb.timeutil import local_zone, utcnow

cases_cli = AppGroup("cases", help="服务工单。")


@cases_cli.command("escalate-due")
@click.option(
    "--at",
    "at",
    default=None,
    help="按哪个时刻检查（ISO 8601，北京时间，不带时区），默认现在。",
)
def escalate_due_command(at):
    """把已超过期限的工单升级一次（与定时任务做的相同）。"""
    if at:
        try:
            moment = datetime.fromisoformat(at)
        except ValueError:
            raise click.BadParameter(
                _("时间格式应为 ISO 8601，例如 2026-11-23T14:30。"), param_hint="--at"
            ) from None
        moment = (moment if moment.tzinfo else moment.replace(tzinfo=local_zone())).astimezone(UTC)
    else:
        moment = utcnow()
    click.echo(_("已升级 %(count)s 个超时的工单。", count=services.escalate_due(moment)))
