import threading

from flask import Blueprint

bp = Blueprint("kb", __name__)
_warm_up_started = threading.Event()


@bp.before_app_request
def warm_up_chinese_text():
    """Each server process loads the dictionaries once, in the background, at its first request:
    the first search typed is then as quick as the rest."""
    if not _warm_up_started.is_set():
        _warm_up_started.set()
        from crmweb.kb import text

        threading.Thread(target=text.warm_up, name="kb-warm-up", daemon=True).start()


from crmweb.kb import routes  # noqa: E402,F401
