"""80/20 and the clients at risk on small hand-computed sets, through their pages; for who may see
the clients' figures only."""

import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from openpyxl import load_workbook

from crmweb.callbacks.models import Callback
from crmweb.clients.models import Client, Interaction, ServiceEvent
from crmweb.extensions import db
from crmweb.gifts.models import Allocation, Campaign, Gift
from tests.cases.helpers import open_case
from tests.clients.helpers import make_client
from tests.conftest import gen_user

NOW = datetime.now(UTC)


def sale(client_id, amount, days_ago):
    at = NOW - timedelta(days=days_ago)
    db.session.add(
        ServiceEvent(client_id=client_id, kind="sale", occurred_at=at, amount=Decimal(amount), created_at=at)
    )


def gift(client_id, value, days_ago):
    at = NOW - timedelta(days=days_ago)
    item = Gift(
        name=f"礼品{client_id}",
        kind="custom",
        unit_value=Decimal(value),
        stock=0,
        reserved=0,
        created_at=at,
        updated_at=at,
    )
    campaign = Campaign(
        name=f"活动{client_id}", starts_on=at.date(), ends_on=at.date(), budget=Decimal(99999), created_at=at
    )
    db.session.add_all([item, campaign])
    db.session.flush()
    db.session.add(
        Allocation(
            campaign_id=campaign.id,
            client_id=client_id,
            category="vip",
            gift_id=item.id,
            quantity=1,
            unit_value=Decimal(value),
            status="sent",
            created_at=at,
            sent_at=at,
        )
    )


def test_the_80_20_figures_on_ten_clients_and_a_point_followed_to_its_clients(app, client, login_as):
    login_as("manager")
    owner = gen_user(app, "sales")
    ids = [make_client(app, owner, f"客户{n:02d}有限公司") for n in range(1, 12)]
    with app.app_context():
        # Values 50, 20, 10, 5, 5, 4, 3, 1, 1, 1 (total 100); the eleventh bought nothing but got a gift,
        # the tenth's gift (2) costs more than its purchase (1); one sale outside the period is not counted.
        for client_id, value in zip(ids, [50, 20, 10, 5, 5, 4, 3, 1, 1, 1], strict=False):
            sale(client_id, value, 30)
        sale(ids[0], 1000, 400)
        gift(ids[9], 2, 20)
        gift(ids[10], 5, 20)
        db.session.commit()
    page = client.get("/reports/pareto").get_data(as_text=True)
    assert "10 个客户在此期间购买，共 ¥100.00；前 20%（2 个）贡献了 70.0%。" in page
    assert page.count('<circle class="point"') == 10
    costly = page[page.index('id="pareto-costly"') :]
    assert costly.index(f'id="costly-{ids[10]}"') < costly.index(
        f'id="costly-{ids[9]}"'
    )  # 5 over, then 1 over
    href = re.search(r'<a href="([^"]+)" id="pareto-point-2">', page).group(1).replace("&amp;", "&")
    listed = client.get(href).get_data(as_text=True)
    assert f'id="client-{ids[1]}"' in listed and f'id="client-{ids[0]}"' not in listed
    workbook = client.get("/reports/pareto?format=xlsx")
    rows = list(load_workbook(io.BytesIO(workbook.data)).active.iter_rows(min_row=2, values_only=True))
    assert [row[4] for row in rows[:3]] == [0.5, 0.7, 0.8]
    for role in ("supervisor", "specialist", "sales", "service"):
        other = app.test_client()
        login_as(role, on=other)
        assert other.get("/reports/pareto").status_code == 403
        assert other.get(href).status_code == 403


def test_clients_at_risk_and_a_call_for_one(app, client, login_as):
    login_as("supervisor")
    owner = gen_user(app, "specialist")
    quiet = make_client(app, owner, "很久没买有限公司")
    falling = make_client(app, owner, "下滑有限公司")
    complaining = make_client(app, owner, "投诉有限公司")
    fine = make_client(app, owner, "正常有限公司")
    prospect = make_client(app, owner, "意向有限公司", stage="prospect")
    with app.app_context():
        sale(quiet, 100, 200)
        sale(falling, 100, 120)  # last quarter
        sale(falling, 40, 10)  # this quarter: below half
        sale(fine, 100, 10)
        sale(complaining, 100, 10)
        for client_id in (quiet, falling, complaining, fine, prospect):
            db.session.get(Client, client_id).last_contact_at = NOW - timedelta(days=5)
        db.session.commit()
    open_case(app, owner, complaining, NOW)
    page = client.get("/reports/risk").get_data(as_text=True)
    for client_id, sign in (
        (quiet, "很久没有购买"),
        (falling, "购买额下滑"),
        (complaining, "有未关闭的投诉"),
    ):
        row = re.search(rf'<tr id="risk-{client_id}">(.*?)</tr>', page, re.S).group(1)
        assert sign in row
    assert f'id="risk-{fine}"' not in page and f'id="risk-{prospect}"' not in page
    assert client.post(f"/reports/risk/{quiet}/callback").status_code == 303
    with app.app_context():
        call = db.session.scalars(sa.select(Callback).where(Callback.client_id == quiet)).one()
        assert call.assignee_id == owner.id and call.purpose == "流失风险：很久没有购买"
    for role in ("specialist", "sales", "service"):
        other = app.test_client()
        login_as(role, on=other)
        assert other.get("/reports/risk").status_code == 403


def scored_touch(client_id, satisfaction, days_ago):
    at = NOW - timedelta(days=days_ago)
    db.session.add(
        Interaction(
            client_id=client_id,
            kind="callback",
            occurred_at=at,
            content="回访",
            satisfaction=satisfaction,
            created_at=at,
        )
    )


def test_the_risk_list_puts_the_most_signs_first_at_the_rules_edges_filtered_and_exported(
    app, client, login_as
):
    login_as("supervisor")
    owner, other_owner = gen_user(app, "specialist"), gen_user(app, "specialist")
    two_signs = make_client(app, owner, "两项风险有限公司")
    at_the_edge = make_client(app, owner, "整九十天有限公司")
    a_day_short = make_client(app, owner, "八十九天有限公司")
    unhappy = make_client(app, other_owner, "不满意有限公司", tier="key")
    cheered_up = make_client(app, owner, "已好转有限公司")
    with app.app_context():
        sale(two_signs, 100, 200)
        sale(at_the_edge, 100, 90)  # quiet for the 90 days the rule names: at risk
        sale(a_day_short, 100, 89)
        for client_id in (unhappy, cheered_up):
            sale(client_id, 100, 10)
        scored_touch(unhappy, 2, 3)
        scored_touch(cheered_up, 1, 20)
        scored_touch(cheered_up, 5, 2)  # only the latest satisfaction counts
        for client_id in (at_the_edge, a_day_short, unhappy, cheered_up):
            db.session.get(Client, client_id).last_contact_at = NOW - timedelta(days=5)
        db.session.get(Client, two_signs).last_contact_at = NOW - timedelta(days=100)
        db.session.commit()
    page = client.get("/reports/risk").get_data(as_text=True)
    shown = [int(found) for found in re.findall(r'<tr id="risk-(\d+)">', page)]
    assert shown == [two_signs, at_the_edge, unhappy]  # two signs first, then by archive number
    assert "共 3 条" in page
    only_unhappy = client.get("/reports/risk?risk=unhappy").get_data(as_text=True)
    assert re.findall(r'<tr id="risk-(\d+)">', only_unhappy) == [str(unhappy)]
    mine = client.get(f"/reports/risk?owner={owner.id}&tier=key").get_data(as_text=True)
    assert "没有发现有流失风险的客户" in mine
    workbook = client.get("/reports/risk?format=xlsx")
    rows = list(load_workbook(io.BytesIO(workbook.data)).active.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == ["两项风险有限公司", "整九十天有限公司", "不满意有限公司"]
    assert rows[0][4] == "很久没有购买、很久没有联系"
    past_the_end = client.get("/reports/risk?page=9", headers={"HX-Request": "true"})
    assert past_the_end.get_data(as_text=True).startswith('<section class="card" id="risk-table">')
    assert f'id="risk-{two_signs}"' in past_the_end.get_data(as_text=True)  # the last page: the only one
