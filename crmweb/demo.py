"""`flask seed-demo`: a working set of people to try the product with, loaded once."""
import os
import secrets

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

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
    if db.session.scalar(sa.select(sa.func.count(User.id))):
        click.echo("演示数据已存在，未做任何修改。密码见 instance/demo-passwords.txt。")
        return
    now = utcnow()
    lines = []
    for role, username, display_name in DEMO_USERS:
        password = secrets.token_urlsafe(9)
        user = services.create_user(None, username, display_name, role, password, now)
        lines.append(f"{role:<11} {user.username:<14} {password}")
    passwords_file = os.path.join(current_app.instance_path, "demo-passwords.txt")
    with open(os.open(passwords_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        f.write("\n".join(lines) + "\n")
    click.echo("已载入演示用户（角色 / 用户名 / 密码），密码同时保存在 instance/demo-passwords.txt：")
    for line in lines:
        click.echo("  " + line)
