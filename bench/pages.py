"""Every list and report page of every area at bench size (100k clients, 300k contacts, 1M
interactions, the reports' data): p95 server time and SQL statements per page, warm, and each
page's first request in a fresh process right after its data was analysed (cold: templates not
yet compiled, no connection in the pool, the database's caches as the last run left them).

Lists bar 60 ms, report pages 500 ms (DESIGN.md §5). Pages are every GET route without a path
argument, as a manager (who sees every area but the administrator's), and a client's page (the
page opened most, its confidential part read and audited): held to the lists' bar.
"""

import re
import subprocess
import sys

import sqlalchemy as sa
from sqlalchemy import event

from bench import reports
from bench.client_search import p95, prepare, timed_get

ROUNDS = 10
LIST_BAR_MS = 60.0
REPORT_BAR_MS = 500.0
SKIPPED = re.compile(r"logout|export|\.ics|\.csv|healthz|notices|/new$|/edit$|pick|check$|preview")
REPORT_PAGES = re.compile(r"^/reports|/reports$|/trials$")


def pages_of(app) -> list[str]:
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and "<" not in rule.rule
        and rule.endpoint != "static"
        and not SKIPPED.search(rule.rule)
        and not rule.rule.startswith("/admin")
    )


COLD = """
import sys, time
from bench.client_search import prepare
app = prepare(sys.argv[1])
app.config["WTF_CSRF_ENABLED"] = False
client = app.test_client()
client.post("/login", data={"username": "bench.manager", "password": "bench-password-1"})
started = time.perf_counter()
status = client.get(sys.argv[2]).status_code
print(status, (time.perf_counter() - started) * 1000)
"""


def cold_ms(url: str, page: str) -> float:
    done = subprocess.run([sys.executable, "-c", COLD, url, page], capture_output=True, text=True, check=True)
    status, elapsed = done.stdout.split()[-2:]
    assert status == "200", (page, status)
    return float(elapsed)


def run(url: str, label: str, write_result) -> None:
    from crmweb.clients.models import Client
    from crmweb.extensions import db
    from crmweb.warm_up import warm_up

    app = prepare(url)
    reports.add_report_data(app)
    warm_up(app)  # as gunicorn serves it
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    client.post("/login", data={"username": "bench.manager", "password": "bench-password-1"})
    with app.app_context():
        engine = db.engine
    statements: list[int] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(1))
    with app.app_context():
        client_page = f"/clients/{db.session.scalar(sa.select(sa.func.min(Client.id)))}"
    pages = [page for page in [*pages_of(app), client_page] if client.get(page).status_code == 200]
    times, counts = {}, {}
    cold = {page: round(cold_ms(url, page), 1) for page in pages}
    # Warmed again: the minute of fresh processes just run leaves this one's caches cold, and the
    # first round measured that (`/` 45–65 ms on PostgreSQL against 32 in the rounds after).
    for page in pages:
        client.get(page)
    for _round in range(ROUNDS):
        for page in pages:
            statements.clear()
            times.setdefault(page, []).append(timed_get(client, page))
            counts.setdefault(page, set()).add(len(statements))
    p95s = {page: round(p95(values), 1) for page, values in times.items()}
    over = {
        page: ms
        for page, ms in p95s.items()
        if ms >= (REPORT_BAR_MS if REPORT_PAGES.search(page) else LIST_BAR_MS)
    }
    unbounded = {page: sorted(n) for page, n in counts.items() if len(n) > 1}
    write_result(
        f"pages_{label}",
        {
            "database": label,
            "pages": len(pages),
            "rounds": ROUNDS,
            "p95_ms": p95s,
            "cold_first_request_ms": cold,
            "statements": {p: max(n) for p, n in counts.items()},
            "statements_varying": unbounded,
            "bar_ms": {"lists": LIST_BAR_MS, "reports": REPORT_BAR_MS},
            "over_bar": over,
            "bar_met": not over,
            "summary": f"{len(pages)} pages; over their bar: {', '.join(over) or 'none'}; "
            f"worst cold first request {max(cold.values()):.0f} ms ({max(cold, key=cold.get)})",
        },
    )
