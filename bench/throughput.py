"""Throughput against the stack's own limit, as a ratio in one run (DESIGN.md §5: each ≥ 30 %).

gunicorn -w 2 serves the app with one extra route, /bench/bare: signed in, through every
before- and after-request handler of the app (session, permissions, CSRF, security headers), but
no query and no template. wrk (Debian's package) then drives, one URL at a time, the bare route,
the client list, a client page, client search and KB search (as htmx fragments, as the pages ask
for them) with the same signed-in cookie, on the same machine; requests per second of each page
are reported as a share of the bare route's. On a shared machine the speed drifts from one minute
to the next: the URLs take turns over ROUNDS rounds, each page's share is taken against the bare
route of its own round, and the median share is reported.
"""

import os
import re
import shutil
import statistics
import subprocess
from urllib.parse import quote

from bench import mixed_load, servers

WORKERS = 2
SECONDS = int(os.environ.get("BENCH_THROUGHPUT_SECONDS", "4"))
ROUNDS = 3
CONNECTIONS = 8
BAR = 0.30


def requests_per_second(url: str, cookie: str, fragment: bool) -> float:
    headers = ["-H", f"Cookie: {cookie}"] + (["-H", "HX-Request: true"] if fragment else [])
    done = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", *headers, url],
        capture_output=True,
        text=True,
        check=True,
    )
    if "Non-2xx" in done.stdout:
        raise SystemExit(f"{url}: answers that are not 200\n{done.stdout}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", done.stdout).group(1))


def run(url: str, label: str, write_result) -> None:
    if shutil.which("wrk") is None:
        print("throughput: skipped, wrk is not installed (apt-get install wrk)")
        return
    plan = mixed_load.prepare(url)
    server, base = servers.gunicorn("bench.bare_wsgi:app", url, WORKERS)
    try:
        import requests

        session = requests.Session()
        token = mixed_load.CSRF.search(session.get(f"{base}/login").text)[1]
        username = next(name for name in plan["accounts"] if plan["own_clients"][name])
        session.post(
            f"{base}/login",
            allow_redirects=False,
            data={"csrf_token": token, "username": username, "password": mixed_load.PASSWORD},
        )
        cookie = "; ".join(f"{name}={value}" for name, value in session.cookies.items())
        client_id = plan["own_clients"][username][0]
        pages = {
            "bare route": ("/bench/bare", False),
            "client list": ("/clients", False),
            "client page": (f"/clients/{client_id}", False),
            "client search": (f"/clients?q={quote(plan['client_queries'][0])}", True),
            "kb search": (f"/kb?q={quote(plan['kb_queries'][0])}", True),
        }
        for path, fragment in pages.values():  # warm every worker's caches and templates
            for _n in range(WORKERS * 4):
                session.get(base + path, headers={"HX-Request": "true"} if fragment else {})
        rounds = [{name: requests_per_second(base + path, cookie, fragment)
                   for name, (path, fragment) in pages.items()} for _round in range(ROUNDS)]
    finally:
        servers.stop(server)
    rates = {name: statistics.median(measured[name] for measured in rounds) for name in pages}
    bare = rates["bare route"]
    shares = {name: round(statistics.median(each[name] / each["bare route"] for each in rounds), 3)
              for name in pages if name != "bare route"}
    worst = min(shares, key=shares.get)
    write_result(
        f"throughput_{label}",
        {
            "database": label,
            "gunicorn_workers": WORKERS,
            "wrk_connections": CONNECTIONS,
            "seconds": SECONDS,
            "rounds": ROUNDS,
            "clients": plan["clients"],
            "requests_per_second": {name: round(rate, 1) for name, rate in rates.items()},
            "share_of_bare_route": shares,
            "bar_share": BAR,
            "bar_met": shares[worst] >= BAR,
            "summary": f"bare route {bare:.0f} req/s; lowest share {shares[worst]:.0%} ({worst})",
        },
    )
