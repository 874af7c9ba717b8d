"""Loss, satisfaction and effort against value on small hand-computed sets."""

import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from openpyxl import load_workbook

from crmweb.auth.models import User
from crmweb.clients import timeline
from crmweb.clients.models import Client, ServiceEvent
from crmweb.extensions import db
from crmweb.reports.models import Evaluation, EvaluationScore, Indicator, IndicatorSet
from tests.clients.helpers import make_client
from tests.conftest import gen_user


def test_a_client_marked_lost_is_dated_and_counted_by_its_reason(app, client, login_as):
    login_as("supervisor")
    owner = gen_user(app, "sales")
    gone = make_client(app, owner, "华通机械有限公司")
    other = make_client(app, owner, "金山化工有限公司")
    with app.app_context():
        for client_id, reason in ((gone, "competitor"), (other, "competitor")):
            record = db.session.get(Client, client_id)
            record.stage, record.lost_reason = "lost", reason
        db.session.commit()
        first_lost_at = db.session.get(Client, gone).lost_at
        assert first_lost_at is not None
        db.session.get(Client, gone).stage = "lost"  # saved again: still lost since then
        db.session.commit()
        assert db.session.get(Client, gone).lost_at == first_lost_at
        db.session.get(Client, other).stage = "customer"  # won back
        db.session.commit()
        assert db.session.get(Client, other).lost_at is None
    page = client.get("/reports/churn").get_data(as_text=True)
    assert f'id="lost-{gone}"' in page and f'id="lost-{other}"' not in page
    reasons = page[page.index('id="churn-reasons"') :]
    assert re.search(r"选择了其他供应商</td><td>1<", reasons)
    workbook = client.get("/reports/churn?format=xlsx")
    rows = list(load_workbook(io.BytesIO(workbook.data)).active.iter_rows(min_row=2, values_only=True))
    assert rows[0][0] == "华通机械有限公司" and rows[0][5] == "选择了其他供应商"


def test_satisfaction_by_local_month_tier_and_owner(app, client, login_as):
    login_as("manager")
    owner = gen_user(app, "specialist")
    key = make_client(app, owner, "华通机械有限公司", tier="key")
    general = make_client(app, owner, "金山化工有限公司")
    with app.app_context():
        actor = db.session.get(User, owner.id)
        # 31 October 17:00 UTC is already 1 November in Shanghai.
        for client_id, at, score in (
            (key, datetime(2026, 10, 31, 17, tzinfo=UTC), 5),
            (key, datetime(2026, 10, 15, 2, tzinfo=UTC), 3),
            (general, datetime(2026, 11, 10, 2, tzinfo=UTC), 2),
        ):
            timeline.record_interaction(
                actor,
                db.session.get(Client, client_id),
                {
                    "kind": "callback",
                    "channel": "phone",
                    "occurred_at": at,
                    "content": "回访",
                    "satisfaction": score,
                },
                at,
            )
        # An evaluation in the period: its satisfaction indicator scored 80 (the other one does not count).
        at = datetime(2026, 11, 12, 2, tzinfo=UTC)
        form = IndicatorSet(
            name="评估表",
            status="approved",
            threshold_a=85,
            threshold_b=70,
            threshold_c=55,
            created_at=at,
            indicators=[
                Indicator(name="满意度", weight=1, source="satisfaction"),
                Indicator(name="采购量", weight=1, source="purchases"),
            ],
        )
        db.session.add(form)
        db.session.flush()
        satisfied, bought = (indicator.id for indicator in form.indicators)
        db.session.add(
            Evaluation(
                client_id=key,
                set_id=form.id,
                total=50,
                grade="D",
                advice="end",
                evaluated_at=at,
                scores=[
                    EvaluationScore(indicator_id=satisfied, score=80),
                    EvaluationScore(indicator_id=bought, score=20),
                ],
            )
        )
        db.session.commit()
    page = client.get("/reports/satisfaction?from=2026-10-01&to=2026-11-30").get_data(as_text=True)
    assert "平均 80.0 / 100（1 次评估）" in page
    assert re.search(r'id="month-2026-10"><td>2026-10</td><td>3.0</td><td>1<', page)
    assert re.search(r'id="month-2026-11"><td>2026-11</td><td>3.5</td><td>2<', page)
    tiers = page[page.index('id="satisfaction-tiers"') : page.index('id="satisfaction-owners"')]
    assert "大客户</td><td>4.0</td><td>2<" in tiers and "一般客户</td><td>2.0</td><td>1<" in tiers
    assert client.get("/reports/satisfaction?from=2026-10-01&to=2026-11-30&format=xlsx").data[:2] == b"PK"


def test_effort_beside_value(app, client, login_as):
    login_as("manager")
    owner = gen_user(app, "specialist")
    busy = make_client(app, owner, "华通机械有限公司")
    quiet = make_client(app, owner, "金山化工有限公司")
    now = datetime.now(UTC)
    with app.app_context():
        actor = db.session.get(User, owner.id)
        for _touch in range(3):
            timeline.record_interaction(
                actor,
                db.session.get(Client, busy),
                {
                    "kind": "visit",
                    "channel": "visit",
                    "occurred_at": now - timedelta(days=5),
                    "content": "拜访",
                },
                now,
            )
        timeline.record_interaction(
            actor,
            db.session.get(Client, quiet),
            {"kind": "visit", "channel": "visit", "occurred_at": now - timedelta(days=5), "content": "拜访"},
            now,
        )
        at = now - timedelta(days=5)
        for client_id, amount in ((quiet, 900), (busy, 100)):
            db.session.add(
                ServiceEvent(
                    client_id=client_id, kind="sale", occurred_at=at, amount=Decimal(amount), created_at=at
                )
            )
        db.session.commit()
    page = client.get("/reports/effort").get_data(as_text=True)
    assert page.index(f'id="effort-{quiet}"') < page.index(f'id="effort-{busy}"')  # the larger buyer first
    quiet_row = re.search(rf'<tr id="effort-{quiet}">(.*?)</tr>', page, re.S).group(1)
    busy_row = re.search(rf'<tr id="effort-{busy}">(.*?)</tr>', page, re.S).group(1)
    assert "¥900.00" in quiet_row and "<td>1</td>" in quiet_row
    assert "¥100.00" in busy_row and "<td>3</td>" in busy_row
    for role in ("supervisor", "specialist"):
        other = app.test_client()
        login_as(role, on=other)
        assert other.get("/reports/effort").status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ServiceEvent)) == 2
