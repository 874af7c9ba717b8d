"""What the area commands share."""
from pathlib import Path

import click
from flask_babel import gettext as _


def read_lines(path: Path) -> list[str]:
    """A UTF-8 text file's lines (a BOM is fine); anything else is the operator's error, said plainly."""
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise click.ClickException(_("文件不是 UTF-8 编码。")) from None
