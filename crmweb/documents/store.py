"""Where the files live: one small interface, a directory (under instance/ on the embedded default,
a shared volume in production, DOCUMENTS_DIR) so that every web process sees the same files. A file
is stored under a random key, never under a name anyone typed."""

import secrets
import shutil
from pathlib import Path
from typing import BinaryIO

from flask import current_app


class FileStore:
    def __init__(self, directory: Path):
        self.directory = directory

    def path_of(self, key: str) -> Path:
        if not key.isalnum():
            raise ValueError("not a storage key")
        return self.directory / key[:2] / key

    def save(self, stream: BinaryIO) -> str:
        key = secrets.token_hex(16)
        path = self.path_of(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as target:
            shutil.copyfileobj(stream, target)
        return key

    def open(self, key: str) -> BinaryIO:
        return self.path_of(key).open("rb")

    def delete(self, key: str) -> None:
        self.path_of(key).unlink(missing_ok=True)


def file_store() -> FileStore:
    return FileStore(Path(current_app.config["DOCUMENTS_DIR"]))
