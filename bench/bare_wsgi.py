"""The app with one route more, /bench/bare, for the throughput benchmark: signed in and through
every request handler of the app, but no query and no template (bench/throughput.py)."""

from crmweb import create_app
from crmweb.auth.permissions import login_required_only

app = create_app()


@login_required_only
def bare():
    return "ok"


app.add_url_rule("/bench/bare", "bench_bare", bare)
