"""gunicorn's settings for crmweb, read from the directory gunicorn runs in: a server process warms
up before it serves (crmweb.warm_up). In wsgi.py it made every `flask` command (an import, the
worker, cron) wait for it too: two seconds more for an import whose bar is 1.5 s in all."""
from crmweb.warm_up import warm_up

# Room for the longest request, an export of the whole archive (100,000 clients as Excel: 36 s on
# two cores); gunicorn's default of 30 s ended it. nginx's proxy_read_timeout matches it.
timeout = 120


def on_starting(server):
    # With --preload the app was loaded in the process the workers fork from: warmed once, there.
    if server.cfg.preload_app:
        warm_up(server.app.wsgi())


def post_worker_init(worker):
    if not worker.cfg.preload_app:
        warm_up(worker.wsgi)
