"""`flask kb import PATH`: articles as JSON lines (ref, title, body, category, tags);
`flask kb reindex`: the whole search index written again."""
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from crmweb.cli import read_lines
from crmweb.kb import services
from crmweb.timeutil import utcnow

kb_cli = AppGroup("kb", help="服务知识库。")


@kb_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(path):
    """导入文章（JSON lines：ref、title、body、category、tags）；同一 ref 再次导入时更新。"""
    lines = read_lines(path)
    created, updated, skipped, problems = services.import_articles(lines, utcnow())
    for problem in problems:
        click.echo(problem, err=True)
    click.echo(_("新建 %(created)s / 更新 %(updated)s / 跳过 %(skipped)s / 错误 %(errors)s", created=created,
                 updated=updated, skipped=skipped, errors=len(problems)))


@kb_cli.command("reindex")
def reindex_command():
    """重建全部文章的搜索索引（升级改变了分词方式后运行一次）。"""
    click.echo(_("已重建 %(count)s 篇文章的索引。", count=services.reindex_all()))
