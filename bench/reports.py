"""Every report page at 100k clients / 1M interactions: p95 server time (bar 500 ms) and SQL
statements per page, SQLite and PostgreSQL.

It uses the client-search database (generated once) and adds, once, what the reports read: 150k
sales over two years, a satisfaction on a tenth of the interactions, 5,000 lost clients with their
reasons, an approved evaluation form and 20,000 evaluations.
"""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from bench.client_search import CLIENTS, p95, prepare, timed_get

REPORT_BAR_MS = 500.0
SALES = 150_000
EVALUATIONS = 20_000
ROUNDS = 20  # timed requests per page, after one that warms caches
PAGES = [
    "/reports/pareto",
    "/reports/risk",
    "/reports/churn",
    "/reports/satisfaction",
    "/reports/effort",
    "/reports/roster",
    "/reports/roster?grade=A",
    "/reports/roster?changed=1",
    "/reports/risk?risk=unhappy&page=2",
    "/cases/reports",
    "/gifts/reports/clients",
]


def add_report_data(app) -> None:
    from crmweb.clients.models import Client, Interaction, ServiceEvent
    from crmweb.extensions import db
    from crmweb.reports.models import Evaluation, EvaluationScore, Indicator, IndicatorSet

    with app.app_context():
        if db.session.scalar(sa.select(sa.func.count(ServiceEvent.id))) >= SALES:
            return
        print("adding the reports' data …", flush=True)
        rng = random.Random(17)
        now = datetime.now(UTC)
        for start in range(0, SALES, 10_000):
            db.session.execute(
                sa.insert(ServiceEvent.__table__),
                [
                    {
                        "client_id": rng.randint(1, CLIENTS),
                        "kind": "sale",
                        "high_end": False,
                        "created_at": now,
                        "occurred_at": now - timedelta(days=rng.randint(0, 720), hours=rng.randint(0, 23)),
                        "amount": Decimal(rng.choice([500, 2_000, 8_000, 30_000, 120_000]))
                        * rng.randint(1, 5),
                    }
                    for _n in range(start, min(start + 10_000, SALES))
                ],
            )
            db.session.commit()
        db.session.execute(
            sa.update(Interaction).where(Interaction.id % 10 == 0).values(satisfaction=Interaction.id % 5 + 1)
        )
        db.session.execute(
            sa.update(Client)
            .where(Client.stage == "lost", Client.id % 5 == 0)
            .values(lost_at=now - timedelta(days=30), lost_reason="competitor")
        )
        admin = db.session.scalar(sa.text("SELECT id FROM users WHERE username = 'bench.manager'"))
        form = IndicatorSet(
            name="基准评估表",
            status="approved",
            threshold_a=Decimal(85),
            threshold_b=Decimal(70),
            threshold_c=Decimal(55),
            created_by_id=admin,
            created_at=now,
            approved_by_id=admin,
            approved_at=now,
            indicators=[
                Indicator(name=name, weight=Decimal(weight), position=n)
                for n, (name, weight) in enumerate([("采购量", 3), ("满意度", 2), ("合作", 1)])
            ],
        )
        db.session.add(form)
        db.session.flush()
        indicator_ids = [indicator.id for indicator in form.indicators]
        for start in range(0, EVALUATIONS, 5_000):
            rows = []
            for n in range(start, min(start + 5_000, EVALUATIONS)):
                total = Decimal(rng.randint(30, 100))
                grade = "A" if total >= 85 else "B" if total >= 70 else "C" if total >= 55 else "D"
                rows.append(
                    {
                        "id": n + 1,
                        "client_id": rng.randint(1, CLIENTS),
                        "set_id": form.id,
                        "total": total,
                        "grade": grade,
                        "advice": "maintain",
                        "advice_override": "",
                        "evaluator_id": admin,
                        "evaluated_at": now - timedelta(days=rng.randint(0, 400)),
                    }
                )
            db.session.execute(sa.insert(Evaluation.__table__), rows)
            db.session.execute(
                sa.insert(EvaluationScore.__table__),
                [
                    {
                        "evaluation_id": row["id"],
                        "indicator_id": indicator,
                        "score": row["total"],
                        "basis": "",
                    }
                    for row in rows
                    for indicator in indicator_ids
                ],
            )
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            for table in ("service_events", "evaluations"):
                sequence = f"pg_get_serial_sequence('{table}', 'id')"
                db.session.execute(sa.text(f"SELECT setval({sequence}, (SELECT max(id) FROM {table}))"))
            db.session.commit()
        statement = "VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE"
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(statement)


def run(url: str, label: str, write_result) -> None:
    from sqlalchemy import event

    from crmweb.extensions import db
    from crmweb.warm_up import warm_up

    app = prepare(url)
    add_report_data(app)
    warm_up(app)  # as gunicorn serves it
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    client.post("/login", data={"username": "bench.manager", "password": "bench-password-1"})
    statements = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(1))
    times, counts = {}, {}
    for repeat in range(ROUNDS + 1):
        for page in PAGES:
            statements.clear()
            elapsed = timed_get(client, page)
            if repeat:  # the first round warms caches and compiles templates
                times.setdefault(page, []).append(elapsed)
                counts[page] = len(statements)
    p95s = {page: round(p95(values), 1) for page, values in times.items()}
    worst = max(p95s.values())
    write_result(
        f"reports_{label}",
        {
            "database": label,
            "clients": CLIENTS,
            "sales": SALES,
            "evaluations": EVALUATIONS,
            "p95_ms": p95s,
            "statements": counts,
            "bar_ms": REPORT_BAR_MS,
            "bar_met": worst < REPORT_BAR_MS,
            "summary": f"worst report p95 {worst:.0f} ms ({max(p95s, key=p95s.get)}) on {label}",
        },
    )
