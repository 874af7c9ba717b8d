"""What may be stored as a file on the archive, as pure functions: the type is read from the
content (never trusted from the name), the name's extension must agree with it, and the name is
only ever shown, never used as a path."""

import re
from dataclasses import dataclass

# Kinds people keep on a client or a case: (what the content says) → the extensions that name it.
ALLOWED = {
    "application/pdf": ("pdf",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("pptx",),
    "application/msword": ("doc",),
    "application/vnd.ms-excel": ("xls",),
    "text/plain": ("txt", "csv"),
}
PREVIEWABLE = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
# Word and Excel 97–2003 files share one container (OLE): the extension says which it is.
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", {"doc": "application/msword", "xls": "application/vnd.ms-excel"})


class Refused(ValueError):
    """Why a file is not taken (its `reason`: "type", "mismatch", "size", "empty")."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def display_name(raw: str) -> str:
    """The name as the person gave it, without any path and without control characters."""
    name = re.split(r"[\\/]", raw or "")[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().lstrip(".")
    return name[:200] or "file"


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def is_text(head: bytes) -> bool:
    """Plain text (UTF-8 or GB18030, as Chinese office software writes it): no NUL bytes."""
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


@dataclass(frozen=True)
class Checked:
    name: str
    content_type: str


def check(raw_name: str, head: bytes, guessed: str | None, size: int, most: int) -> Checked:
    """The file taken, or Refused: `guessed` is what the content says (a library reads it), `head`
    the first bytes (for the kinds it leaves to us)."""
    name = display_name(raw_name)
    if size == 0:
        raise Refused("empty")
    if size > most:
        raise Refused("size")
    ext = extension(name)
    if guessed is None and head.startswith(OLE[0]):
        guessed = OLE[1].get(ext, "application/x-ole-storage")
    if guessed is None and is_text(head[:4096]):
        guessed = "text/plain"
    if guessed not in ALLOWED:
        raise Refused("type")
    if ext not in ALLOWED[guessed]:
        raise Refused("mismatch")
    return Checked(name, guessed)
