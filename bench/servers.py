"""The servers a benchmark starts on loopback: gunicorn, RQ workers (`flask worker`) and an SMTP
sink that counts what arrives by outbox id."""

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
OUTBOX_ID = re.compile(rb"outbox-(\d+)@")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn(app: str, url: str, workers: int, access_log: Path | None = None,
             **env: str) -> tuple[subprocess.Popen, str]:
    """gunicorn -w `workers` serving `app` ("wsgi:app") on `url`'s database, once it answers:
    (the process, its base address). Without Redis unless `env` names one. With `access_log`, each
    request's method, path and time in the worker (µs) go there, one line each."""
    port = free_port()
    access_logging = (["--access-logfile", str(access_log), "--access-logformat", "%(m)s %(U)s %(D)s"]
                      if access_log else [])
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers), "--preload",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", *access_logging, app],
        cwd=ROOT, start_new_session=True,
        env={**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32),
             "CRMWEB_INSTANCE_PATH": tempfile.mkdtemp(prefix="crmweb-bench-"), "REDIS_URL": "", **env})
    import requests

    base = f"http://127.0.0.1:{port}"
    for _attempt in range(150):
        try:
            if requests.get(f"{base}/login", timeout=10).status_code == 200:
                return server, base
        except (requests.ConnectionError, requests.Timeout):  # not listening, or still warming up
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def rq_workers(count: int, env: dict) -> list[subprocess.Popen]:
    """`count` × `flask worker` with `env` (DATABASE_URL, REDIS_URL, SMTP_URL), listening within
    a few seconds."""
    workers = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "crmweb:create_app", "worker"],
                                cwd=ROOT, env={**os.environ, **env},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for _ in range(count)]
    time.sleep(3)
    return workers


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        worker.wait(timeout=30)


class Sink:
    """aiosmtpd handler: the outbox id of every message received, repeats included."""

    def __init__(self):
        self.ids = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        found = OUTBOX_ID.search(envelope.original_content or envelope.content)
        self.ids.append(int(found.group(1)) if found else 0)
        return "250 OK"
