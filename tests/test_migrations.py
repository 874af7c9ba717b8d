"""Revisions that move data: they upgrade a database that has data in it, and go back."""
import re
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from crmweb import create_app
from crmweb.database import init_migrations
from crmweb.extensions import db
from tests.conftest import app_config


@contextmanager
def database_at(path: Path, revision: str):
    """A new SQLite database upgraded to an old revision, inside its app's context."""
    app = create_app(app_config(f"sqlite:///{path}"))
    with app.app_context():
        init_migrations(app)
        upgrade(revision=revision)
        yield
        db.engine.dispose()


def test_a_stage_rhythm_a_manager_had_set_becomes_the_rhythm_of_every_tier(tmp_path):
    with database_at(tmp_path / "old.sqlite3", "a018b044ded1"):
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
    with database_at(tmp_path / "history.sqlite3", "bb27b91bf8c4"):
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


def test_the_indexed_articles_get_the_text_the_search_reads(tmp_path):
    """The revision's own copy of the normalising gives what the app's code gives today."""
    from crmweb.kb.search import field_texts, searchable_texts

    article = {"id": 1, "title": "發票開錯了怎麼辦", "body": "<p>請聯繫&lt;財務&gt;　ＡＢＣ</p>\n<p>重開</p>",
               "category": "財務", "tags": "發票,退款", "synonyms": "开票"}
    with database_at(tmp_path / "kb.sqlite3", "f9f6bbb82340"):
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO kb_articles (id, title, body, category, tags, synonyms, status, created_at, "
                "updated_at, views, helpful_yes, helpful_no) VALUES (:id, :title, :body, :category, :tags, "
                ":synonyms, 'published', '2026-01-01', '2026-01-01', 0, 0, 0)"), article)
            connection.execute(sa.text("INSERT INTO kb_field_lengths (article_id, title, tags, category, "
                                       "body) VALUES (1, 5, 3, 1, 9)"))
        upgrade()
        with db.engine.connect() as connection:
            kept = connection.execute(sa.text("SELECT headline, details FROM kb_indexed_texts")).all()
        assert [tuple(row) for row in kept] == [searchable_texts(field_texts(SimpleNamespace(**article)))]
        assert kept[0].headline.startswith("发票开错了怎么办 发票 退款 开票")
