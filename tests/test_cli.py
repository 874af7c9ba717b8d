"""The command line: users, demo data, migrations."""
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from crmweb.auth.models import User
from crmweb.extensions import db
from tests.conftest import log_in


def test_users_create_reads_the_password_from_stdin(app, runner, client):
    result = runner.invoke(args=["users", "create", "--username", "Zhang.Jingli", "--role", "manager",
                                 "--password-stdin"], input="a-long-password-1\n")
    assert result.exit_code == 0, result.output
    assert "zhang.jingli" in result.output
    assert log_in(client, "zhang.jingli", "a-long-password-1").status_code == 302


def test_users_create_refuses_an_unknown_role_and_a_short_password(app, runner):
    result = runner.invoke(args=["users", "create", "--username", "x", "--role", "emperor",
                                 "--password-stdin"], input="a-long-password-1\n")
    assert result.exit_code != 0
    result = runner.invoke(args=["users", "create", "--username", "shorty", "--role", "sales",
                                 "--password-stdin"], input="short\n")
    assert result.exit_code != 0 and "至少需要 12 个字符" in result.output
    result = runner.invoke(args=["users", "create", "--username", "weak", "--role", "director",
                                 "--password-stdin"], input="qwertyuiop123\n")
    assert result.exit_code != 0 and "太容易猜到" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_seed_demo_creates_one_user_per_role_once(app, runner, client):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    director_line = next(line for line in result.output.splitlines() if "director" in line)
    _, username, password = director_line.split()
    assert log_in(client, username, password).status_code == 302
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "已存在" in again.output
    with app.app_context():
        roles = db.session.scalars(sa.select(User.role)).all()
    assert sorted(roles) == sorted(["director", "manager", "supervisor", "specialist", "sales",
                                    "service", "reception", "admin"])


def test_migrations_build_exactly_the_models(app):
    """`flask db upgrade` (run by the database fixture) yields the schema the models describe."""
    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_make_run_takes_a_port():
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    dry = subprocess.run(["make", "-n", "run", "PORT=8123"], cwd=root, capture_output=True, text=True)
    assert "--port 8123" in dry.stdout
