"""Revisions that move data: they upgrade a database that has data in it, and go back."""
import re
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from crmweb import create_app
from crmweb.database import init_migrations
from crmweb.extensions import db
from tests.conftest import app_config


def test_a_stage_rhythm_a_manager_had_set_becomes_the_rhythm_of_every_tier(tmp_path):
    app = create_app(app_config(f"sqlite:///{tmp_path / 'old.sqlite3'}"))
    with app.app_context():
        init_migrations(app)
        upgrade(revision="a018b044ded1")
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO settings (key, value) VALUES ('rhythm.customer_days', '21')"))
        upgrade(revision="bb27b91bf8c4")
        with db.engine.connect() as connection:
            kept = dict(connection.execute(sa.text("SELECT key, value FROM settings")).all())
        assert kept == {"rhythm.customer_days.general": "21", "rhythm.customer_days.important": "21",
                        "rhythm.customer_days.key": "21"}
        downgrade(revision="a018b044ded1")
        with db.engine.connect() as connection:
            kept = dict(connection.execute(sa.text("SELECT key, value FROM settings")).all())
        assert kept == {"rhythm.customer_days": "21"}
        db.engine.dispose()


VERSIONS = Path(__file__).resolve().parents[1] / "migrations" / "versions"


def test_the_migration_history_has_one_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(VERSIONS.parent))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


# Landed before the rule, and a landed revision is never edited: it seeds the first synonym list.
IMPORTED_THE_APP_BEFORE_THE_RULE = {"121898e6c5b1_service_knowledge_base_articles_.py"}


def test_no_revision_imports_the_app():
    """A revision runs against the schema of its day: the app's code of today may differ."""
    importing = {path.name for path in VERSIONS.glob("*.py")
                 if re.search(r"^\s*(from|import) crmweb\b", path.read_text(encoding="utf-8"), re.M)}
    assert importing == IMPORTED_THE_APP_BEFORE_THE_RULE


def test_new_revisions_upgrade_a_database_with_data_and_come_back(tmp_path):
    """Down to before this session's revisions and up again, with a client in the archive."""
    app = create_app(app_config(f"sqlite:///{tmp_path}/history.sqlite3"))
    with app.app_context():
        init_migrations(app)
        upgrade(revision="bb27b91bf8c4")
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO clients (id, kind, name, sort_key, stage, tier, vip_status, created_at, "
                "updated_at) VALUES (1, 'company', '徐州华通机械有限责任公司', 'x', 'prospect', 'general', "
                "'none', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"))
            connection.execute(sa.text("INSERT INTO contacts (client_id, name, birthday_leap_month, "
                                       "greetings_opt_out, is_key_person, created_at) "
                                       "VALUES (1, '曾小明', false, false, false, '2026-01-01 00:00:00')"))
            connection.execute(sa.text("INSERT INTO interactions (client_id, kind, occurred_at, content, "
                                       "created_at) VALUES (1, 'visit', '2026-01-02 00:00:00', '拜访', "
                                       "'2026-01-02 00:00:00')"))
            connection.execute(sa.text("INSERT INTO client_search_keys (client_id, key, weight) "
                                       "VALUES (1, 'xuzhou', 0)"))
        upgrade()
        counted = "SELECT (SELECT count(*) FROM contacts), (SELECT count(*) FROM interactions), " \
                  "(SELECT count(*) FROM client_search_keys)"
        with db.engine.connect() as connection:
            key = connection.execute(sa.text("SELECT name_key FROM clients")).scalar()
            # Rebuilding a table (SQLite's way to add a constraint) must not cascade to its rows.
            assert tuple(connection.execute(sa.text(counted)).one()) == (1, 1, 1)
        assert key == "徐州华通机械有限公司"
        downgrade(revision="bb27b91bf8c4")
        upgrade()
        with db.engine.connect() as connection:
            assert tuple(connection.execute(sa.text(counted)).one()) == (1, 1, 1)
        db.engine.dispose()
