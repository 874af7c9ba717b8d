"""`flask cases escalate-due [--at ISO]`: one escalation pass by hand (what the periodic job runs)."""

from datetime import UTC, datetime

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from crmweb.cases import services
from crmweb.timeutil import local_zone, utcnow

cases_cli = AppGroup("cases", help="Service cases.")


@cases_cli.command("escalate-due")
@click.option(
    "--at",
    "at",
    default=None,
    help="The moment to run the pass for (ISO 8601; local time without an offset).",
)
def escalate_due_command(at):
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
