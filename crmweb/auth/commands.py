"""`flask users ...`: accounts from the command line (the first admin, scripted set-up)."""
import sys

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from crmweb.auth import services
from crmweb.auth.forms import PASSWORD_PROBLEM_MESSAGES
from crmweb.auth.permissions import ROLES
from crmweb.auth.rules import password_problems
from crmweb.errors import DomainError
from crmweb.timeutil import utcnow

users_cli = AppGroup("users", help="管理用户账号。")


@users_cli.command("create")
@click.option("--username", required=True)
@click.option("--role", required=True, type=click.Choice(sorted(ROLES)))
@click.option("--display-name", default=None, help="姓名，默认同用户名。")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（一行）。")
def create_user_command(username, role, display_name, password_stdin):
    """创建用户。"""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(_("密码"), hide_input=True, confirmation_prompt=True)
    problems = password_problems(password, username)
    if problems:
        raise click.ClickException(" ".join(str(PASSWORD_PROBLEM_MESSAGES[p]) for p in problems))
    try:
        user = services.create_user(None, username, display_name or username, role, password,
                                    utcnow())
    except DomainError as refusal:
        raise click.ClickException(refusal.message) from None
    click.echo(_("已创建用户 %(username)s（%(role)s）。", username=user.username, role=role))
