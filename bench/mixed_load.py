"""Mixed load: 50 people using the app at once for 60 s, against gunicorn, Redis, two RQ workers
(`flask worker`) and an SMTP sink, all on loopback.

Each simulated person signs in, then works as staff do, waiting 0.5–1.5 s between clicks (reading
what came back): searches clients as they type, opens lists and client pages, searches the
knowledge base and reads answers, looks at the today page, and records interactions on their own
clients, books visits (a room already taken is the 409 a person would see, not an error) and sends
a greeting to one of their clients (writes, which SQLite takes one at a time). Latency is the whole
HTTP round trip seen by the client; an unexpected status or a failed connection is an error. The
greetings go through the outbox to the workers and the sink: after the run every one is sent (or
left out by a rule), none waits and none arrives twice.

The data is the client-search bench database (100k clients, 300k contacts, 1M interactions) with
20,000 knowledge-base articles added to it once.
"""
import json
import os
import random
import re
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bench import client_search, kb_search, servers

PEOPLE = int(os.environ.get("BENCH_LOAD_PEOPLE", "50"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
WORKERS = 4     # gunicorn's
RQ_WORKERS = 2  # `flask worker`: the message batches people send
THINK_SECONDS = (0.5, 1.5)
P95_BAR_MS = 300.0
PASSWORD = "bench-password-1"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
# What people do, and how often: mostly finding and reading, some writing.
ACTIONS = {"client search": 28, "client list": 10, "client page": 19, "kb search": 19,
           "kb article": 8, "today": 7, "record interaction": 5, "book a visit": 3, "send messages": 1}
ROOMS = 4


def prepare(url: str) -> dict:
    """The bench database, with knowledge-base articles; what the people will look for."""
    from crmweb.clients.models import Client
    from crmweb.extensions import db
    from crmweb.kb import services
    from crmweb.kb.models import Article
    from crmweb.timeutil import utcnow
    from crmweb.workdays import is_working_day

    app = client_search.prepare(url)
    rng = random.Random(31)
    with app.app_context():
        if db.session.scalar(sa.select(sa.func.count(Article.id))) < kb_search.ARTICLES:
            print("adding the knowledge base to the client bench database …", flush=True)
            services.ensure_default_synonyms(utcnow())
            labelled = [json.dumps(a, ensure_ascii=False) for a in kb_search._read("articles.jsonl")]
            services.import_articles(labelled, utcnow())
            services.import_articles(list(kb_search.synthetic(kb_search.ARTICLES - len(labelled),
                                                              random.Random(5))), utcnow())
        accounts = db.session.execute(sa.text(
            "SELECT username, id FROM users WHERE username LIKE 'bench%' ORDER BY username")).all()
        own_clients = {username: db.session.scalars(
            sa.select(Client.id).where(Client.owner_id == user_id).limit(50)).all()
            for username, user_id in accounts}
        client_names = {username: db.session.scalars(
            sa.select(Client.name).where(Client.owner_id == user_id).limit(20)).all()
            for username, user_id in accounts}
        article_ids = db.session.scalars(sa.select(Article.id).where(Article.status == "published")
                                         .order_by(sa.func.random()).limit(500)).all()
        rooms, template_id = _rooms_and_template()
        today = utcnow().astimezone(ZoneInfo("Asia/Shanghai")).date()
        visit_days = [day.isoformat() for day in (today + timedelta(days=n) for n in range(10, 90))
                      if is_working_day(day)]
        db.engine.dispose()
    return {"accounts": [username for username, _id in accounts], "own_clients": own_clients,
            "user_ids": dict(accounts), "client_names": client_names, "rooms": rooms,
            "template_id": template_id, "visit_days": visit_days,
            "client_queries": [q for _kind, q in client_search.sample_queries(app, rng)],
            "kb_queries": [q["q"] for q in kb_search._read("queries-dev.jsonl")],
            "article_ids": article_ids, "clients": client_search.CLIENTS}


def _rooms_and_template() -> tuple[list[int], int]:
    """Meeting rooms to book and an email template to send, added once to the bench database, and
    the sending rules that let every send of the run go out."""
    from crmweb.auth.actors import CommandLineActor
    from crmweb.bookings.models import MeetingRoom
    from crmweb.extensions import db
    from crmweb.messages.models import MessageTemplate
    from crmweb.settings import set_setting
    from crmweb.timeutil import utcnow

    for n in range(1, ROOMS + 1):
        if not db.session.scalar(sa.select(MeetingRoom.id).where(MeetingRoom.name == f"基准会议室{n}")):
            db.session.add(MeetingRoom(name=f"基准会议室{n}", capacity=20, equipment="", active=True,
                                       created_at=utcnow()))
    if not db.session.scalar(sa.select(MessageTemplate.id).where(MessageTemplate.name == "基准问候")):
        db.session.add(MessageTemplate(name="基准问候", channel="email", subject="问候", body="{称呼}您好！",
                                       updated_at=utcnow()))
    # Sent at any hour (quiet hours from 8:00 to 8:00 are none), and again on every run.
    for key, value in (("messages.quiet_end", clock(8, 0)), ("messages.daily_cap", 1000)):
        set_setting(key, value, CommandLineActor(), utcnow())
    db.session.commit()
    rooms = db.session.scalars(sa.select(MeetingRoom.id).where(MeetingRoom.name.like("基准会议室%"))).all()
    return rooms, db.session.scalar(sa.select(MessageTemplate.id).where(MessageTemplate.name == "基准问候"))


class Person(threading.Thread):
    """One member of staff: signs in, waits for the start, then works until the end."""

    def __init__(self, number: int, base: str, plan: dict, start: threading.Barrier, results: list):
        super().__init__(daemon=True)
        self.rng = random.Random(number)
        self.base, self.plan, self.start_together, self.results = base, plan, start, results
        self.username = plan["accounts"][number % len(plan["accounts"])]
        self.own = plan["own_clients"][self.username]

    def run(self):
        import requests

        self.session = requests.Session()
        token = CSRF.search(self.session.get(f"{self.base}/login").text)[1]
        signed_in = self.session.post(f"{self.base}/login", allow_redirects=False, data={
            "csrf_token": token, "username": self.username, "password": PASSWORD})
        assert signed_in.status_code == 302, signed_in.status_code
        self.csrf = CSRF.search(self.session.get(f"{self.base}/").text)[1]
        self.start_together.wait()
        deadline = time.monotonic() + SECONDS
        actions, weights = list(ACTIONS), list(ACTIONS.values())
        while time.monotonic() < deadline:
            action = self.rng.choices(actions, weights)[0]
            started = time.perf_counter()
            try:
                ok = getattr(self, action.replace(" ", "_"))()
            except requests.RequestException:
                ok = False
            self.results.append((action, (time.perf_counter() - started) * 1000, ok))
            time.sleep(self.rng.uniform(*THINK_SECONDS))

    def _get(self, path: str, fragment: bool = False) -> bool:
        headers = {"HX-Request": "true"} if fragment else {}
        return self.session.get(self.base + path, headers=headers, timeout=30).status_code == 200

    def client_search(self):
        return self._get(f"/clients?q={self.rng.choice(self.plan['client_queries'])}", fragment=True)

    def client_list(self):
        return self._get(self.rng.choice(["/clients", f"/clients?page={self.rng.randint(2, 50)}",
                                          "/clients?tier=key", "/clients?overdue=1"]))

    def client_page(self):
        mine = self.own and self.rng.random() < 0.7
        client_id = self.rng.choice(self.own) if mine else self.rng.randint(1, self.plan["clients"])
        return self._get(f"/clients/{client_id}")

    def kb_search(self):
        return self._get(f"/kb?q={self.rng.choice(self.plan['kb_queries'])}", fragment=True)

    def kb_article(self):
        return self._get(f"/kb/{self.rng.choice(self.plan['article_ids'])}")

    def today(self):
        return self._get("/")

    def record_interaction(self):
        if not self.own:
            return self.today()
        local_now = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai"))
        response = self.session.post(
            f"{self.base}/clients/{self.rng.choice(self.own)}/interactions", allow_redirects=False,
            timeout=30, data={"csrf_token": self.csrf, "kind": "callback", "channel": "phone",
                              "occurred_at": (local_now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
                              "content": "电话回访：设备运行正常，客户满意。", "satisfaction": "5"})
        return response.status_code == 302

    def book_a_visit(self):
        if not self.own:
            return self.today()
        day, hour = self.rng.choice(self.plan["visit_days"]), self.rng.randint(9, 16)
        response = self.session.post(f"{self.base}/bookings/new", allow_redirects=False, timeout=30, data={
            "csrf_token": self.csrf, "client_id": self.rng.choice(self.own),
            "room_id": self.rng.choice(self.plan["rooms"]), "starts_at": f"{day}T{hour:02d}:00",
            "ends_at": f"{day}T{hour:02d}:50", "visitors": "张三\n李四", "purpose": "参观生产线",
            "areas": "showroom", "host_id": self.plan["user_ids"][self.username]})
        return response.status_code in (303, 409)  # a room already taken at that hour: a conflict

    def send_messages(self):
        if not self.own:
            return self.today()
        response = self.session.post(f"{self.base}/messages/send", allow_redirects=False, timeout=30, data={
            "csrf_token": self.csrf, "template_id": self.plan["template_id"],
            "q": self.rng.choice(self.plan["client_names"][self.username])})
        return response.status_code == 303


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def run(url: str, label: str, write_result) -> None:
    import redis
    from aiosmtpd.controller import Controller

    plan = prepare(url)
    redis.Redis.from_url(servers.REDIS_URL).flushdb()
    sink, smtp_port = servers.Sink(), servers.free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    env = {"REDIS_URL": servers.REDIS_URL, "SMTP_URL": f"smtp://127.0.0.1:{smtp_port}"}
    started_at = datetime.now(UTC)
    workers = servers.rq_workers(RQ_WORKERS, {"DATABASE_URL": url, **env})
    access_log = Path(tempfile.mkdtemp(prefix="crmweb-load-")) / "access.log"
    server, base = servers.gunicorn("wsgi:app", url, WORKERS, access_log=access_log, **env)
    results: list = []
    try:
        start = threading.Barrier(PEOPLE)
        people = [Person(n, base, plan, start, results) for n in range(PEOPLE)]
        for person in people:
            person.start()
        for person in people:
            person.join(SECONDS + 60)
        outbox = _drained_outbox(url, started_at)
    finally:
        servers.stop(server)
        servers.stop_workers(workers)
        controller.stop()
    times = [ms for _action, ms, _ok in results]
    errors = sum(1 for _action, _ms, ok in results if not ok)
    by_action = {action: [ms for name, ms, _ok in results if name == action] for action in ACTIONS}
    overall = p95(times)
    in_worker = _times_in_worker(access_log)
    in_worker_p95 = p95(in_worker)
    duplicates = len(sink.ids) - len(set(sink.ids))
    waiting = sum(outbox.get(status, 0) for status in ("queued", "sending", "unknown"))
    write_result(f"mixed_load_{label}", {
        "database": label, "people": PEOPLE, "seconds": SECONDS, "gunicorn_workers": WORKERS,
        "rq_workers": RQ_WORKERS, "think_seconds": THINK_SECONDS, "action_weights": ACTIONS,
        "requests": len(results), "requests_per_second": round(len(results) / SECONDS, 1), "errors": errors,
        "p50_ms": round(statistics.median(times), 1), "p95_ms": round(overall, 1),
        "p95_ms_by_action": {action: round(p95(ms), 1) for action, ms in by_action.items() if ms},
        # Every request but the sign-ins, timed inside gunicorn's workers: what the app spent,
        # without the wait for a free worker and the load generator's own share of the two cores.
        "in_worker_p50_ms": round(statistics.median(in_worker), 1),
        "in_worker_p95_ms": round(in_worker_p95, 1),
        "messages": {"outbox_by_status": outbox, "received_by_smtp": len(sink.ids), "duplicates": duplicates},
        "bar": {"errors": 0, "p95_ms": P95_BAR_MS, "messages_waiting": 0, "duplicates": 0},
        "bar_met": errors == 0 and overall < P95_BAR_MS and not waiting and not duplicates,
        "summary": f"{PEOPLE} people, {len(results)} requests in {SECONDS} s, {errors} errors, "
                   f"p95 {overall:.0f} ms (p50 {statistics.median(times):.0f} ms), "
                   f"p95 inside the app {in_worker_p95:.0f} ms; "
                   f"{len(set(sink.ids))} messages delivered, {waiting} waiting, {duplicates} twice"})


def _times_in_worker(access_log: Path) -> list[float]:
    """Milliseconds each request of the run spent in a gunicorn worker (sign-ins left out)."""
    times = []
    for line in access_log.read_text().splitlines():
        path, microseconds = line.split(" ", 1)[1].rsplit(" ", 1)
        if path != "/login":
            times.append(int(microseconds) / 1000)
    return times


def _drained_outbox(url: str, since: datetime) -> dict[str, int]:
    """The run's messages by status once the workers have put every send in the outbox and sent
    what they can (a minute at most)."""
    from crmweb.extensions import db
    from crmweb.messages.models import MessageSend, OutboxMessage, SendStatus

    app = client_search.prepare(url)
    with app.app_context():
        for _second in range(60):
            preparing = db.session.scalar(sa.select(sa.func.count()).select_from(MessageSend).where(
                MessageSend.created_at >= since, MessageSend.status == SendStatus.PREPARING))
            outbox = dict(db.session.execute(
                sa.select(OutboxMessage.status, sa.func.count()).where(OutboxMessage.created_at >= since)
                .group_by(OutboxMessage.status)).all())
            db.session.rollback()
            if not preparing and not any(outbox.get(status) for status in ("queued", "sending")):
                break
            time.sleep(1)
        db.engine.dispose()
    return outbox
