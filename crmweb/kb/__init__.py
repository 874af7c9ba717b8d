import threading

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from crmweb.kb import text

bp = Blueprint("kb", __name__)
_warm_up_started = threading.Event()


@bp.before_app_request
def warm_up_chinese_text():
    """Each server process loads the dictionaries once, in the background, at its first request
    (unless it loaded them before serving: `load_chinese_text`): the first search typed is then as
    quick as the rest."""
    if not _warm_up_started.is_set():
        _warm_up_started.set()

        threading.Thread(target=text.warm_up, name="kb-warm-up", daemon=True).start()


def load_chinese_text() -> None:
    """The dictionaries loaded now, by a process that warms up before it serves (crmweb.warm_up)."""
    _warm_up_started.set()
    text.warm_up()


from crmweb.area import Area  # noqa: E402
from crmweb.kb import routes  # noqa: E402,F401
from crmweb.kb.commands import kb_cli  # noqa: E402
from crmweb.kb.demo import seed_demo_articles  # noqa: E402

area = Area(bp, commands=(kb_cli,), seed_demo=seed_demo_articles, menu=(("kb.index", _l("知识库")),))
