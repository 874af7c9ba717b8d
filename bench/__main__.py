"""`make bench`: the speed bars of DESIGN.md §5 that this code base covers so far.

- client search at 100k clients / 300k contacts, p95 of server time, SQLite and PostgreSQL
  (PostgreSQL when BENCH_DATABASE_URL is set or the local server answers);
- SQL statements per list page and client page, at that size;
- import of a phone's 2,000-contact vCard 2.1 export, the whole CLI command, wall clock;
- knowledge-base search: MRR@10 on the shared labelled set beside a character-overlap
  baseline, p95 query time at 20,000 articles, re-indexing one article on save;
- mixed load: 50 people for 60 s against gunicorn on loopback, errors and p95 round trip;
- visits: 20 simultaneous requests for one room, five rounds: one booking and 19 conflicts each;
- greetings: 10,000 emails from the send request to a local SMTP sink with 2 workers (real Redis);
- reports: every report page at 100k clients / 1M interactions, p95 and SQL statements;
- pages: every list and report page and a client's page, p95 warm, statements, and its first request
  in a fresh process;
- throughput: requests/s of the list, client page and both searches under gunicorn, as a share of a
  bare route of the same app (wrk).

Results are written as JSON into bench/results/. A bar not met is reported, not hidden.
"""
import functools
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DATA_DIR = ROOT / "bench" / "data"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/crmweb_bench"


def machine_speed_ms() -> float:
    """A fixed pure-Python workload's time (the best of three), taken beside each result: the
    machines these benches run on differ 2–3× in speed, and drift within a day."""
    def workload():
        started = time.perf_counter()
        total = 0
        for n in range(1_000_000):
            total += n % 7
        return (time.perf_counter() - started) * 1000

    return round(min(workload() for _attempt in range(3)), 1)


def write_result(name: str, result: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {"benchmark": name, "at": datetime.now(UTC).isoformat(timespec="seconds"),
              "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                          "pure_python_loop_ms": machine_speed_ms()}, **result}
    (RESULTS / f"{name}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    verdict = "met" if result.get("bar_met") else "NOT MET"
    print(f"{name}: {result.get('summary', '')} — bar {verdict}", flush=True)


@functools.cache  # asked once per benchmark; probe the server and create the databases once
def postgres_url() -> str | None:
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    probe = subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], check=False)
    if probe.returncode != 0:
        return None
    for name in ("crmweb_bench", "crmweb_bench_kb", "crmweb_bench_import", "crmweb_bench_visits",
                 "crmweb_bench_greetings"):
        subprocess.run(["psql", "-q", "postgresql://postgres@127.0.0.1:5432/postgres", "-c",
                        f"CREATE DATABASE {name}"], check=False, capture_output=True)
    return DEFAULT_PG


def on_both_databases(run, sqlite_file: str, postgres_database: str) -> None:
    """`run(url, label, write_result)` on a kept SQLite file, then on PostgreSQL when it answers."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    run(f"sqlite:///{DATA_DIR / sqlite_file}", "sqlite", write_result)
    pg = postgres_url()
    if pg:
        run(pg.replace("crmweb_bench", postgres_database), "postgresql", write_result)
    else:
        print(f"{run.__module__} on PostgreSQL: skipped, no server (set BENCH_DATABASE_URL)")


def main(argv: list[str]) -> int:
    from bench import (
        client_search,
        greetings,
        import_vcard,
        kb_search,
        mixed_load,
        pages,
        reports,
        throughput,
        visits,
    )

    only = set(argv)
    if not only or "import" in only:
        import_vcard.run(write_result)
        pg = postgres_url()
        if pg:
            import_vcard.run(write_result, pg.replace("crmweb_bench", "crmweb_bench_import"))
    if not only or "search" in only:
        on_both_databases(client_search.run, "bench.sqlite3", "crmweb_bench")
    if not only or "reports" in only:
        on_both_databases(reports.run, "bench.sqlite3", "crmweb_bench")
    if not only or "kb" in only:
        on_both_databases(kb_search.run, "kb.sqlite3", "crmweb_bench_kb")
    if not only or "visits" in only:
        on_both_databases(visits.run, "visits.sqlite3", "crmweb_bench_visits")
    if not only or "greetings" in only:
        on_both_databases(greetings.run, "greetings.sqlite3", "crmweb_bench_greetings")
    if not only or "pages" in only:
        on_both_databases(pages.run, "bench.sqlite3", "crmweb_bench")
    if not only or "throughput" in only:  # on the client-search data, with the knowledge base added
        on_both_databases(throughput.run, "bench.sqlite3", "crmweb_bench")
    if not only or "load" in only:  # on the client-search data, with the knowledge base added
        on_both_databases(mixed_load.run, "bench.sqlite3", "crmweb_bench")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("CRMWEB_INSTANCE_PATH", tempfile.mkdtemp(prefix="crmweb-bench-"))
    sys.exit(main(sys.argv[1:]))
