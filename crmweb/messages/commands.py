"""`flask greetings run-due [--date D]` and `flask messages test (--sms MOBILE | --email ADDRESS)`."""
from datetime import date

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from crmweb.auth.actors import CommandLineActor
from crmweb.clients.rules import InvalidPhone, normalise_phone
from crmweb.messages import greetings, setup
from crmweb.messages.jobs import sweep
from crmweb.messages.labels import STATUS
from crmweb.timeutil import local_zone, utcnow

greetings_cli = AppGroup("greetings", help="节日和生日问候。")
messages_cli = AppGroup("messages", help="短信与邮件。")


@greetings_cli.command("run-due")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="运行哪一天的问候（默认今天，北京时间）。")
def run_due_command(day):
    """运行一天的问候规则（与每日定时任务相同；重复运行不会重复发送）。"""
    now = utcnow()
    chosen: date = day.date() if day else now.astimezone(local_zone()).date()
    written = greetings.run_due(chosen, now)
    click.echo(_("%(day)s：新写入问候 %(count)s 条。", day=chosen.isoformat(), count=written))


@messages_cli.command("test")
@click.option("--sms", "mobile", default=None, help="手机号。")
@click.option("--email", "address", default=None, help="邮箱。")
def test_command(mobile, address):
    """经配置的服务商发一条测试消息，并显示服务商的回答。"""
    if bool(mobile) == bool(address):
        raise click.UsageError(_("请给出 --sms 手机号 或 --email 邮箱，二选一。"))
    if mobile:
        try:
            recipient = normalise_phone(mobile)
        except InvalidPhone:
            raise click.UsageError(_("无法识别的手机号：%(mobile)s", mobile=mobile)) from None
    else:
        recipient = address.strip().lower()
    message = setup.send_test(CommandLineActor(), "sms" if mobile else "email", recipient, utcnow())
    click.echo(f"{STATUS[message.status]}: {message.provider_message_id or message.error or ''}")
    if message.status not in ("sent", "delivered"):
        raise SystemExit(1)


@messages_cli.command("sweep")
def sweep_command():
    """发出到时间的消息（没有 Redis 的试用环境用系统 cron 每分钟运行一次；有 Redis 时由 flask cron 负责）。"""
    click.echo(_("已交出 %(count)s 条消息。", count=sweep()))
