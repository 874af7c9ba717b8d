"""The app's own programs (gunicorn, flask worker, flask cron) run by the tests: each in a session
of its own, so that stopping it stops its children too (RQ's scheduler, a job's work horse), as
systemd stops a unit; nothing of one test is left to take the next test's jobs."""
import contextlib
import os
import signal
import socket
import subprocess


def free_port() -> int:
    """A loopback port nobody listens on, for a server a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(command: list[str], cwd: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def kill(process: subprocess.Popen) -> None:
    """Killed with no goodbye, children and all (a crash, the OOM killer)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def stop(process: subprocess.Popen) -> None:
    """Asked to stop (SIGTERM, a warm shutdown for a worker); whatever is left of it then killed."""
    process.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=15)
    kill(process)
