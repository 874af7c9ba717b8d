"""`make bench`: the speed bars of DESIGN.md §5 that this code base covers so far.

- client search at 100k clients / 300k contacts, p95 of server time, SQLite and PostgreSQL
  (PostgreSQL when BENCH_DATABASE_URL is set or the local server answers);
- SQL statements per list page and client page, at that size;
- import of a phone's 2,000-contact vCard 2.1 export, the whole CLI command, wall clock;
- knowledge-base search: MRR@10 on the shared labelled set beside a character-overlap
  baseline, p95 query time at 20,000 articles, re-indexing one article on save;
- mixed load: 50 people for 60 s against gunicorn on loopback, errors and p95 round trip.

Results are written as JSON into bench/results/. A bar not met is reported, not hidden.
"""
import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DATA_DIR = ROOT / "bench" / "data"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/crmweb_bench"


def write_result(name: str, result: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {"benchmark": name, "at": datetime.now(UTC).isoformat(timespec="seconds"),
              "machine": {"python": platform.python_version(), "cpus": os.cpu_count()}, **result}
    (RESULTS / f"{name}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    verdict = "met" if result.get("bar_met") else "NOT MET"
    print(f"{name}: {result.get('summary', '')} — bar {verdict}", flush=True)


def postgres_url() -> str | None:
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    probe = subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], check=False)
    if probe.returncode != 0:
        return None
    for name in ("crmweb_bench", "crmweb_bench_kb", "crmweb_bench_import"):
        subprocess.run(["psql", "-q", "postgresql://postgres@127.0.0.1:5432/postgres", "-c",
                        f"CREATE DATABASE {name}"], check=False, capture_output=True)
    return DEFAULT_PG


def main(argv: list[str]) -> int:
    from bench import client_search, import_vcard, kb_search, mixed_load

    only = set(argv)
    if not only or "import" in only:
        import_vcard.run(write_result)
        pg = postgres_url()
        if pg:
            import_vcard.run(write_result, pg.replace("crmweb_bench", "crmweb_bench_import"))
    if not only or "search" in only:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        client_search.run(f"sqlite:///{DATA_DIR / 'bench.sqlite3'}", "sqlite", write_result)
        pg = postgres_url()
        if pg:
            client_search.run(pg, "postgresql", write_result)
        else:
            print("client search on PostgreSQL: skipped, no server (set BENCH_DATABASE_URL)")
    if not only or "kb" in only:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        kb_search.run(f"sqlite:///{DATA_DIR / 'kb.sqlite3'}", "sqlite", write_result)
        pg = postgres_url()
        if pg:
            kb_search.run(pg.replace("crmweb_bench", "crmweb_bench_kb"), "postgresql", write_result)
    if not only or "load" in only:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        mixed_load.run(f"sqlite:///{DATA_DIR / 'bench.sqlite3'}", "sqlite", write_result)
        pg = postgres_url()
        if pg:
            mixed_load.run(pg, "postgresql", write_result)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("CRMWEB_INSTANCE_PATH", tempfile.mkdtemp(prefix="crmweb-bench-"))
    sys.exit(main(sys.argv[1:]))
