"""Twenty people book one room for overlapping times at the same instant, each through the booking
page from a process of its own, five rounds: every round must give exactly one booking, nineteen
conflicts and no error (DESIGN.md §5 "visits"), on SQLite and PostgreSQL."""
import multiprocessing
import tempfile
import time
from datetime import timedelta

from bench import fresh_schema

PEOPLE, ROUNDS = 20, 5
PASSWORD = "bench-password-1"


def _app(url):
    from crmweb import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "bench",
                       "WTF_CSRF_ENABLED": False, "REDIS_URL": None})


def _one_person(url, username, data, start, answers):
    browser = _app(url).test_client()
    browser.post("/login", data={"username": username, "password": PASSWORD})
    start.wait()
    began = time.perf_counter()
    status = browser.post("/bookings/new", data=data).status_code
    answers.put((status, time.perf_counter() - began))


def run(url: str, label: str, write_result) -> None:
    from crmweb.auth import services as auth
    from crmweb.bookings import services as bookings
    from crmweb.clients import services as clients
    from crmweb.extensions import db
    from crmweb.timeutil import local_zone, utcnow
    from crmweb.workdays import is_working_day

    if url.startswith("sqlite"):
        url = f"sqlite:///{tempfile.mkdtemp()}/visits.sqlite3"  # a fresh file each run
    app = _app(url)
    with app.app_context():
        fresh_schema()
        now = utcnow()
        people = [auth.create_user(None, f"bench.sales{n}", f"销售{n}", "sales", PASSWORD, now)
                  for n in range(PEOPLE)]
        client_id = clients.create_client(people[0], {"name": "徐州华通机械有限公司", "kind": "company",
                                                      "tier": "key"}, now).id
        room_id = bookings.add_room(None, "一号会议室", 50, "", now).id
        usernames, ids = [p.username for p in people], [p.id for p in people]
        day, days = now.astimezone(local_zone()).date(), []
        while len(days) < ROUNDS:
            day += timedelta(days=1)
            if is_working_day(day):
                days.append(day)
        db.session.commit()
        db.engine.dispose()
    context = multiprocessing.get_context("fork")
    outcomes, timings = [], []
    for day in days:
        start, answers = context.Barrier(PEOPLE), context.Queue()
        processes = [context.Process(target=_one_person, args=(url, username, {
            "client_id": client_id, "room_id": room_id, "host_id": person_id, "purpose": "考察",
            "visitors": "张三", "areas": "showroom",
            "starts_at": f"{day.isoformat()}T09:{n:02d}", "ends_at": f"{day.isoformat()}T10:{n:02d}"},
            start, answers)) for n, (username, person_id) in enumerate(zip(usernames, ids, strict=True))]
        for process in processes:
            process.start()
        answered = [answers.get(timeout=120) for _ in processes]
        for process in processes:
            process.join(timeout=60)
        statuses = sorted(status for status, _ in answered)
        outcomes.append({"booked": statuses.count(303), "conflicts": statuses.count(409),
                         "errors": len(statuses) - statuses.count(303) - statuses.count(409)})
        timings += [seconds for _, seconds in answered]
    met = all(o == {"booked": 1, "conflicts": PEOPLE - 1, "errors": 0} for o in outcomes)
    slowest = max(timings) * 1000
    write_result(f"visits_{label}", {
        "database": label, "people": PEOPLE, "rounds": outcomes, "slowest_request_ms": round(slowest, 1),
        "bar": "each round: 1 booking, 19 conflicts, 0 errors", "bar_met": met,
        "summary": f"{ROUNDS} rounds of {PEOPLE} simultaneous requests for one room: "
                   f"{'one booking and 19 conflicts each' if met else outcomes}; "
                   f"slowest answer {slowest:.0f} ms"})
