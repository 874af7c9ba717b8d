"""Where a `next` or `back` parameter may send the browser: only a path of this site."""
from urllib.parse import urlsplit

from flask import abort


def local_target(target: str | None, fallback: str, prefix: str = "/") -> str:
    """`target` if it is a path of this site under `prefix`, else `fallback`.

    A control character (CR/LF would split the Location header) is a bad request, not a redirect.
    """
    if not target:
        return fallback
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        abort(400)
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith(prefix) or target.startswith("//") \
            or "\\" in target:
        return fallback
    return target
