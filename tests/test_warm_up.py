"""A server process warms up before it serves (gunicorn.conf.py, crmweb.warm_up): its first pages
compile nothing, and a full garbage collection does not walk what it loaded. The `flask` commands,
which import wsgi.py too, do not wait for it."""
import gc
import os
import runpy
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from crmweb.warm_up import warm_up
from tests.conftest import gen_user, log_in

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


@pytest.fixture(autouse=True)
def collector_as_before():
    """The warm-up freezes what the process holds: the rest of the suite is collected as usual."""
    yield
    gc.unfreeze()


def test_after_the_warm_up_a_full_collection_passes_by_what_the_server_loaded(app):
    warm_up(app)
    walked = {id(obj) for obj in gc.get_objects()}
    assert id(app.jinja_env) not in walked
    assert id(app.view_functions) not in walked
    created_later = SimpleNamespace(made="while serving")
    assert any(obj is created_later for obj in gc.get_objects())


def test_after_the_warm_up_every_template_is_compiled_and_a_page_compiles_nothing(app, client, monkeypatch):
    warm_up(app)
    compiled = {name for _loader, name in app.jinja_env.cache}
    assert compiled >= {str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html")}

    def compile_again(*_args, **_kwargs):
        pytest.fail("a template was compiled while serving")

    monkeypatch.setattr(app.jinja_env, "_compile", compile_again)
    log_in(client, gen_user(app, "manager").username)
    assert client.get("/").status_code == 200
    assert client.get("/clients").status_code == 200


def compiled_templates(app) -> int:
    return len(app.jinja_env.cache)


@pytest.mark.parametrize("preloaded", [True, False], ids=["--preload", "each worker"])
def test_gunicorn_warms_the_app_up_before_it_serves(app, preloaded):
    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    cfg = SimpleNamespace(preload_app=preloaded)
    hooks["on_starting"](SimpleNamespace(cfg=cfg, app=SimpleNamespace(wsgi=lambda: app)))
    assert (compiled_templates(app) > 100) is preloaded  # in the master only when it loads the app
    hooks["post_worker_init"](SimpleNamespace(cfg=cfg, wsgi=app))
    assert compiled_templates(app) > 100


def test_a_flask_command_loads_the_app_without_warming_it_up(tmp_path):
    loaded = subprocess.run(
        [sys.executable, "-c", "import wsgi; print(len(wsgi.app.jinja_env.cache))"], cwd=ROOT,
        env={**os.environ, "CRMWEB_INSTANCE_PATH": str(tmp_path)}, capture_output=True, text=True, check=True)
    assert loaded.stdout.split()[-1] == "0"


def test_gunicorn_gives_a_request_room_for_a_whole_archive_export():
    """Excel of 100,000 clients takes some 36 s on two cores; gunicorn's default ends it at 30."""
    from gunicorn.config import Config

    config = Config()
    for name, value in runpy.run_path(str(ROOT / "gunicorn.conf.py")).items():
        if name in config.settings:
            config.set(name, value)
    assert config.timeout >= 120
