"""`flask backup PATH` and `flask restore PATH`."""

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from crmweb.backups import archive, services


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path):
    """把数据库和上传的文件备份到 PATH（一个文件），并检查备份。"""
    if path.exists():
        raise click.ClickException(_("%(path)s 已存在：请换一个文件名。", path=path))
    run = services.back_up(path)
    if not run.checked:
        raise click.ClickException(_("备份失败：%(error)s", error=run.error))
    click.echo(
        _(
            "已备份到 %(path)s：%(tables)s 张表、%(files)s 个文件，%(size)s 字节，检查通过。",
            path=path,
            tables=run.tables,
            files=run.files,
            size=run.size,
        )
    )


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(path):
    """把 `flask backup` 做的备份恢复到（空的）数据库和文件存储中。"""
    try:
        manifest = archive.restore_backup(path)
    except archive.BackupError as failed:
        raise click.ClickException(_("恢复失败：%(error)s", error=str(failed))) from None
    rows = sum(table["rows"] for table in manifest.tables.values())
    click.echo(
        _(
            "已恢复 %(created)s 的备份：%(tables)s 张表共 %(rows)s 行、%(files)s 个文件，与备份核对一致。",
            created=manifest.created_at,
            tables=len(manifest.tables),
            rows=rows,
            files=len(manifest.files),
        )
    )
