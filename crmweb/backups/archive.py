"""One backup file: the database as one consistent snapshot and the uploaded files it refers to,
with a manifest of what is in it (each table's rows and checksum, each file's checksum), checked
once written; and restoring one into an empty database.

- SQLite: the online backup API copies a snapshot while others keep writing; `PRAGMA
  integrity_check` on the copy.
- PostgreSQL: `pg_dump -Fc` of a snapshot exported by the transaction that also reads the
  manifest, so that the two agree to the row; `pg_restore --list` reads the dump back.

The archive is a tar: manifest.json, database.sqlite3 or database.pgdump, documents/<key>.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from crmweb.documents.store import file_store
from crmweb.extensions import db

FORMAT = 1


class BackupError(Exception):
    """What went wrong, said for the operator."""


@dataclass
class Manifest:
    created_at: str
    dialect: str
    revision: str
    tables: dict  # name → {"rows": n, "sha256": …}
    files: dict  # storage key → sha256

    def as_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "created_at": self.created_at,
                "dialect": self.dialect,
                "revision": self.revision,
                "tables": self.tables,
                "files": self.files,
            },
            ensure_ascii=False,
            indent=2,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> "Manifest":
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise BackupError(_("不认识的备份格式：%(format)s", format=data.get("format")))
        return cls(data["created_at"], data["dialect"], data["revision"], data["tables"], data["files"])


def _table_names(connection) -> list[str]:
    return sorted(sa.inspect(connection).get_table_names())


def table_sums(connection) -> dict:
    """Every table's row count and a checksum of its rows in primary-key order."""
    sums = {}
    inspector = sa.inspect(connection)
    for name in _table_names(connection):
        table = sa.Table(name, sa.MetaData(), autoload_with=connection)
        key = inspector.get_pk_constraint(name).get("constrained_columns") or [c.name for c in table.columns]
        digest, rows = hashlib.sha256(), 0
        for row in connection.execute(sa.select(table).order_by(*[table.c[k] for k in key])):
            digest.update(repr(tuple(row)).encode())
            rows += 1
        sums[name] = {"rows": rows, "sha256": digest.hexdigest()}
    return sums


def _revision(connection) -> str:
    try:
        return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() or ""
    except sa.exc.DBAPIError:
        return ""


def _storage_keys(connection) -> list[str]:
    return sorted(connection.execute(sa.text("SELECT storage_key FROM documents")).scalars())


def _file_sha(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_url(url: sa.engine.URL) -> str:
    """The database's address for libpq's tools (no SQLAlchemy driver name)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_env(url: sa.engine.URL) -> dict:
    # The password travels in the environment, never on a command line others could read.
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    return env


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(
            _("%(command)s 出错：%(error)s", command=command[0], error=done.stderr.strip()[:500])
        )


def _snapshot_sqlite(work: Path) -> tuple[Path, Manifest]:
    target = work / "database.sqlite3"
    source = db.engine.raw_connection()
    try:
        copy = sqlite3.connect(target)
        with copy:
            source.driver_connection.backup(copy)
        checked = copy.execute("PRAGMA integrity_check").fetchone()[0]
        copy.close()
    finally:
        source.close()
    if checked != "ok":
        raise BackupError(_("备份副本检查未通过：%(result)s", result=checked))
    engine = sa.create_engine(f"sqlite:///{target}")
    with engine.connect() as connection:
        manifest = Manifest(_now_text(), "sqlite", _revision(connection), table_sums(connection), {})
        keys = _storage_keys(connection)
    engine.dispose()
    return target, _with_files(manifest, keys)


def _snapshot_postgresql(work: Path) -> tuple[Path, Manifest]:
    target = work / "database.pgdump"
    url = db.engine.url
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        with connection.begin():
            snapshot = connection.execute(sa.text("SELECT pg_export_snapshot()")).scalar()
            _run(["pg_dump", "-Fc", f"--snapshot={snapshot}", "-f", str(target), _pg_url(url)], _pg_env(url))
            manifest = Manifest(_now_text(), "postgresql", _revision(connection), table_sums(connection), {})
            keys = _storage_keys(connection)
    _run(["pg_restore", "--list", str(target)], _pg_env(url))
    return target, _with_files(manifest, keys)


def _now_text() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _with_files(manifest: Manifest, keys: list[str]) -> Manifest:
    """The files the snapshot refers to (a file deleted since is said, not silently skipped)."""
    store = file_store()
    for key in keys:
        path = store.path_of(key)
        if not path.exists():
            raise BackupError(_("文件 %(key)s 在数据库里有记录，文件目录里却没有。", key=key))
        manifest.files[key] = _file_sha(path)
    return manifest


def make_backup(destination: Path) -> Manifest:
    """Write the backup to `destination` (a new file; written beside it and moved in when whole)."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent) as scratch:
        work = Path(scratch)
        snapshot = _snapshot_postgresql if db.engine.dialect.name == "postgresql" else _snapshot_sqlite
        database, manifest = snapshot(work)
        partial = work / "backup.tar"
        store = file_store()
        with tarfile.open(partial, "w") as archive:
            data = manifest.as_json().encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(database, arcname=database.name)
            for key in manifest.files:
                archive.add(store.path_of(key), arcname=f"documents/{key}")
        os.replace(partial, destination)
    return manifest


def read_manifest(path: Path) -> Manifest:
    try:
        with tarfile.open(path, "r") as archive:
            return Manifest.from_json(archive.extractfile("manifest.json").read().decode())
    except (OSError, tarfile.TarError, KeyError, ValueError) as error:
        raise BackupError(_("%(path)s 不是本系统的备份文件。", path=path)) from error


def _is_empty(connection) -> bool:
    """No data worth keeping: no tables, or no people at all."""
    if "users" not in _table_names(connection):
        return True
    return not connection.execute(sa.text("SELECT 1 FROM users LIMIT 1")).first()


def restore_backup(path: Path) -> Manifest:
    """The backup into this app's database, which must be empty, and its files into the file
    store; then the restored tables are checked against the manifest."""
    manifest = read_manifest(path)
    dialect = db.engine.dialect.name
    if manifest.dialect != dialect:
        raise BackupError(
            _("这是 %(backup)s 的备份，当前数据库是 %(current)s。", backup=manifest.dialect, current=dialect)
        )
    with db.engine.connect() as connection:
        if not _is_empty(connection):
            raise BackupError(_("数据库不是空的：只能恢复到空数据库。"))
    db.session.remove()
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(path, "r") as archive:
        work = Path(scratch)
        archive.extractall(work, filter="data")
        if dialect == "postgresql":
            url = db.engine.url
            db.engine.dispose()
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "-d",
                    _pg_url(url),
                    str(work / "database.pgdump"),
                ],
                _pg_env(url),
            )
        else:
            copy = sqlite3.connect(work / "database.sqlite3")
            target = db.engine.raw_connection()
            try:
                copy.backup(target.driver_connection)
            finally:
                target.close()
                copy.close()
        store = file_store()
        for key, sha in manifest.files.items():
            source = work / "documents" / key
            if _file_sha(source) != sha:
                raise BackupError(_("文件 %(key)s 与备份时的校验值不符。", key=key))
            target_path = store.path_of(key)
            target_path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target_path)
    db.engine.dispose()
    with db.engine.connect() as connection:
        restored = table_sums(connection)
    if restored != manifest.tables:
        wrong = sorted(name for name in manifest.tables if restored.get(name) != manifest.tables[name])
        raise BackupError(_("恢复后这些表与备份不符：%(tables)s", tables="、".join(wrong)))
    return manifest


def backup_size(path: Path) -> int:
    return Path(path).stat().st_size


def keep_newest(directory: Path, keep: int) -> list[Path]:
    """Old backups removed so that `keep` remain (by name: they are named by their time)."""
    found = sorted(Path(directory).glob("crmweb-*.tar"))
    gone = found[: max(0, len(found) - keep)]
    for path in gone:
        path.unlink(missing_ok=True)
    return gone


def default_directory() -> Path:
    return Path(current_app.config["BACKUP_DIR"])
