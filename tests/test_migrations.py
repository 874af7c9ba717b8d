"""Revisions that move data: they upgrade a database that has data in it, and go back."""
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
