"""`flask rooms add NAME --capacity N`: meeting rooms for scripted set-up."""
import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from crmweb.auth.actors import CommandLineActor
from crmweb.bookings import services
from crmweb.errors import DomainError
from crmweb.timeutil import utcnow

rooms_cli = AppGroup("rooms", help="会议室。")


@rooms_cli.command("add")
@click.argument("name")
@click.option("--capacity", type=click.IntRange(1, 1000), required=True, help="容纳人数。")
@click.option("--equipment", default="", help="设备，例如：投影、视频会议。")
def add_command(name, capacity, equipment):
    """添加一间会议室。"""
    try:
        room = services.add_room(CommandLineActor(), name, capacity, equipment, utcnow())
    except DomainError as refused:
        raise click.ClickException(refused.message) from None
    click.echo(_("已添加会议室：%(name)s（%(capacity)s 人）。", name=room.name, capacity=room.capacity))
