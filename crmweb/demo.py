"""`flask seed-demo`: a working set of people to try the product with, loaded once."""
import os
import secrets

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from crmweb.areas import AREAS
from crmweb.auth import services
from crmweb.auth.models import User
from crmweb.extensions import db
from crmweb.timeutil import utcnow

DEMO_USERS = [
    ("director", "zhao.zong", "赵总"),
    ("manager", "qian.jingli", "钱经理"),
    ("supervisor", "sun.zhuguan", "孙主管"),
    ("specialist", "li.zhuanyuan", "李专员"),
    ("sales", "zhou.xiaoshou", "周销售"),
    ("service", "wu.kefu", "吴客服"),
    ("reception", "zheng.qiantai", "郑前台"),
    ("admin", "wang.admin", "王管理员"),
]


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """载入演示数据（每个角色一个用户）；已有数据时什么也不做。"""
    passwords_file = os.path.join(current_app.instance_path, "demo-passwords.txt")
    if db.session.scalar(sa.select(sa.func.count(User.id))):
        click.echo(_("演示数据已存在，未做任何修改。密码见 %(path)s。", path=passwords_file))
        return
    now = utcnow()
    lines = []
    for role, username, display_name in DEMO_USERS:
        password = secrets.token_urlsafe(9)
        user = services.create_user(None, username, display_name, role, password, now)
        lines.append(f"{role:<11} {user.username:<14} {password}")
    with open(os.open(passwords_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        f.write("\n".join(lines) + "\n")
    loaded = [area.seed_demo(now) for area in AREAS if area.seed_demo]
    click.echo(_("已载入演示用户（角色 / 用户名 / 密码），密码同时保存在 %(path)s：", path=passwords_file))
    for line in lines:
        click.echo("  " + line)
    for line in loaded:
        click.echo(line)
