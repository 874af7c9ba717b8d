"""A server process warms up before it serves (wsgi.py, crmweb.warm_up): its first pages compile
nothing."""
from pathlib import Path

import pytest

from crmweb.warm_up import warm_up
from tests.conftest import gen_user, log_in

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


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
