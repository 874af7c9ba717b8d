"""`flask calendar show YEAR` and `flask calendar import FILE`: the working calendar, checked
before a year starts and loaded from the State Council's notice."""
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from crmweb import workdays
from crmweb.cli import read_lines
from crmweb.extensions import db
from crmweb.timeutil import utcnow

calendar_cli = AppGroup("calendar", help="工作日历（法定节假日与调休）。")


@calendar_cli.command("show")
@click.argument("year", type=click.IntRange(1990, 2100))
def show_command(year):
    """列出一年中的节假日和调休上班日：每行 YYYY-MM-DD holiday|workday 名称。"""
    kept = workdays.calendar_year(year)
    if not kept.confirmed:
        click.echo(_("# %(year)s 年尚未按国务院通知确认：以下为预测，请核对后用 flask calendar import 导入。",
                     year=year), err=True)
    for special in workdays.special_days(year):
        click.echo(f"{special.day.isoformat()} {special.kind} {special.name}".rstrip())


@calendar_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(path):
    """导入国务院通知的节假日安排（与 show 输出的格式相同）；文件中出现的年份整年替换。"""
    lines = read_lines(path)
    days, problems = workdays.parse_lines(lines)
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        raise click.ClickException(_("文件有错误，未导入任何内容。"))
    years = workdays.replace_years(days, utcnow())
    db.session.commit()
    click.echo(_("已导入 %(years)s 年的 %(count)s 天。", years="、".join(map(str, years)), count=len(days)))
