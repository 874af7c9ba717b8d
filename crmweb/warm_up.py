"""A server process warmed up before it serves (gunicorn.conf.py)."""
import gc
from datetime import UTC, datetime

from crmweb import jobs, kb, workdays
from crmweb.clients.rules import read_phone


def warm_up(app) -> None:
    """What a server process would otherwise do on its first requests, done before it serves: every
    template compiled (a second and a half for all of them, paid by whoever opened each page first
    after a restart), the package's holidays for this year and the next, the phone metadata, the
    knowledge base's dictionaries, the Redis and RQ modules. With gunicorn's --preload once, in
    the process the workers fork from (no connection is opened). Last, all of it is set aside
    from the garbage collector."""
    for name in app.jinja_env.list_templates(extensions=("html",)):
        app.jinja_env.get_template(name)
    this_year = datetime.now(UTC).year
    for year in (this_year, this_year + 1):
        workdays.package_year(year)
    read_phone("13800000000")
    kb.load_chinese_text()
    if app.config["REDIS_URL"]:
        with app.app_context():
            jobs.queue()
    # What the process holds now lives as long as it does. A full collection would walk all of it
    # again (the dictionaries' hundreds of thousands of entries: 60 ms on the bench machine) in
    # whichever request it fell on; frozen, the collector passes it by, and forked workers keep
    # sharing its memory pages instead of writing to them.
    gc.collect()
    gc.freeze()
