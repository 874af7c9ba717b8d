"""Backup of a populated instance while it is being written to, restored into a fresh database and
file store: every table's rows and checksum and every file the same as in the backup; a restore
only into an empty database; the weekly job's retention; the admin page."""

import threading
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from crmweb import create_app
from crmweb.auth.models import User
from crmweb.backups import archive
from crmweb.backups.services import weekly_backup
from crmweb.clients import timeline
from crmweb.clients.models import Client, Interaction
from crmweb.extensions import db
from crmweb.timeutil import utcnow
from tests.clients.helpers import make_client
from tests.conftest import app_config
from tests.documents.test_files import PDF, upload


def fresh_database(url: str, name: str) -> str:
    """An empty database beside the test one: a new SQLite file, or a new PostgreSQL database."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return str(parsed.set(database=str(Path(parsed.database).with_name(f"{name}.sqlite3"))))
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return str(parsed.set(database=name).render_as_string(hide_password=False))


def keep_writing(app, client_id, owner_id, stop: threading.Event, written: list) -> None:
    with app.app_context():
        while not stop.is_set():
            timeline.record_interaction(
                db.session.get(User, owner_id),
                db.session.get(Client, client_id),
                {
                    "kind": "callback",
                    "channel": "phone",
                    "occurred_at": utcnow(),
                    "content": "备份期间的回访",
                },
                utcnow(),
            )
            written.append(1)


def test_a_backup_taken_while_writing_restores_whole_into_a_fresh_instance(app, client, login_as, tmp_path):
    owner = login_as("specialist")
    client_id = make_client(
        app, owner, "华通机械有限公司", contacts=[{"name": "王明", "mobile": "+8613812345678"}]
    )
    assert upload(client, f"client/{client_id}", "合同扫描.pdf", PDF).status_code == 303
    stop, written = threading.Event(), []
    writer = threading.Thread(target=keep_writing, args=(app, client_id, owner.id, stop, written))
    writer.start()
    try:
        while len(written) < 5:  # the writer is busy before the backup begins
            stop.wait(0.01)
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "crmweb.tar")])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert "检查通过" in result.output
    manifest = archive.read_manifest(tmp_path / "crmweb.tar")
    with app.app_context():
        live = db.session.scalar(sa.select(sa.func.count(Interaction.id)))
    assert 5 <= manifest.tables["interactions"]["rows"] <= live  # a snapshot taken during the writes
    assert len(manifest.files) == 1

    restored = create_app(
        app_config(
            fresh_database(app.config["SQLALCHEMY_DATABASE_URI"], "crmweb_restored"),
            DOCUMENTS_DIR=str(tmp_path / "restored-documents"),
        )
    )
    outcome = restored.test_cli_runner().invoke(args=["restore", str(tmp_path / "crmweb.tar")])
    assert outcome.exit_code == 0, outcome.output
    assert "与备份核对一致" in outcome.output
    with restored.app_context():
        with db.engine.connect() as connection:
            assert archive.table_sums(connection) == manifest.tables
        assert db.session.get(Client, client_id).name == "华通机械有限公司"
        key = db.session.execute(sa.text("SELECT storage_key FROM documents")).scalar()
        assert (tmp_path / "restored-documents" / key[:2] / key).read_bytes() == PDF
        db.session.remove()
    again = restored.test_cli_runner().invoke(args=["restore", str(tmp_path / "crmweb.tar")])
    assert again.exit_code != 0 and "数据库不是空的" in again.output
    with restored.app_context():
        db.engine.dispose()


def test_the_weekly_backup_keeps_the_newest_and_the_admin_page_shows_the_last(
    app, client, login_as, tmp_path
):
    app.config.update(BACKUP_DIR=str(tmp_path / "weekly"), BACKUP_KEEP=2)
    login_as("admin")
    with app.app_context():
        start = utcnow()
        for week in range(3):
            assert weekly_backup(start + timedelta(days=7 * week)).checked
    assert len(list((tmp_path / "weekly").glob("crmweb-*.tar"))) == 2
    page = client.get("/admin/backups").get_data(as_text=True)
    assert "检查通过" in page and page.count('id="backup-') == 3
    for role in ("director", "manager", "specialist", "reception"):
        other = app.test_client()
        login_as(role, on=other)
        assert other.get("/admin/backups").status_code == 403, role


def test_a_file_that_is_not_a_backup_is_refused_plainly(app, runner, tmp_path):
    (tmp_path / "not-a-backup.tar").write_bytes(b"hello")
    result = runner.invoke(args=["restore", str(tmp_path / "not-a-backup.tar")])
    assert result.exit_code != 0 and "恢复失败" in result.output and "Traceback" not in result.output
