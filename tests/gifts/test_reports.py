"""A year's gifts per client beside its purchases: a hand-computed set with sends and sales on both
sides of the local new year, voided sales left out; for managers and directors only."""

import io
import re
from datetime import UTC, datetime
from decimal import Decimal

from openpyxl import load_workbook

from crmweb.clients.models import ServiceEvent
from crmweb.extensions import db
from crmweb.gifts.models import Allocation, AllocationStatus, Campaign
from tests.clients.helpers import make_client
from tests.conftest import gen_user
from tests.gifts.test_campaigns import setup_campaign

# Shanghai's 2026 begins at 2025-12-31 16:00 UTC.
LAST_OF_2025 = datetime(2025, 12, 31, 15, 30, tzinfo=UTC)
FIRST_OF_2026 = datetime(2025, 12, 31, 16, 30, tzinfo=UTC)
MID_2026 = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


def sent_gift(campaign_id, gift_id, client_id, quantity, unit_value, sent_at):
    db.session.add(Allocation(
        campaign_id=campaign_id, client_id=client_id, category="vip", gift_id=gift_id, quantity=quantity,
        unit_value=Decimal(unit_value), status=AllocationStatus.SENT, created_at=sent_at, sent_at=sent_at))


def sale(client_id, amount, at, voided=False):
    db.session.add(ServiceEvent(client_id=client_id, kind="sale", occurred_at=at, amount=Decimal(amount),
                                created_at=at, voided_at=at if voided else None))


def other_campaign(name, like_id):
    first = db.session.get(Campaign, like_id)
    campaign = Campaign(name=name, starts_on=first.starts_on, ends_on=first.ends_on, budget=Decimal(9999),
                        created_at=first.created_at)
    db.session.add(campaign)
    db.session.flush()
    return campaign.id


def test_a_years_gifts_beside_the_purchases(app, client, login_as):
    manager, campaign_id, gift_id = setup_campaign(app)
    first = make_client(app, manager, "甲贸易有限公司", tier="important")
    second = make_client(app, manager, "乙机械有限公司")
    with app.app_context():
        spring, autumn = (other_campaign(name, campaign_id) for name in ("2026 春节礼品", "2025 中秋礼品"))
        sent_gift(campaign_id, gift_id, first, 2, "150", MID_2026)      # 300
        sent_gift(spring, gift_id, first, 1, "200", FIRST_OF_2026)      # 200: 2026 in Shanghai
        sent_gift(autumn, gift_id, first, 5, "100", LAST_OF_2025)       # 2025: not counted
        sent_gift(campaign_id, gift_id, second, 1, "80", MID_2026)       # 80, no purchases
        sale(first, "10000", MID_2026)
        sale(first, "2000", FIRST_OF_2026)
        sale(first, "7000", LAST_OF_2025)                               # 2025
        sale(first, "5000", MID_2026, voided=True)                      # voided
        db.session.commit()
    login_as("manager")
    page = client.get("/gifts/reports/clients?year=2026")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    first_row = re.search(rf'<tr id="year-client-{first}">(.*?)</tr>', html, re.S).group(1)
    # 3 gifts worth 500 against 12,000 of purchases: 4.2 %.
    assert all(part in first_row for part in ("<td>3</td>", "¥500.00", "¥12000.00", "4.2"))
    second_row = re.search(rf'<tr id="year-client-{second}">(.*?)</tr>', html, re.S).group(1)
    assert "¥80.00" in second_row and "¥0.00" in second_row and "—" in second_row
    assert html.index(f"year-client-{first}") < html.index(f"year-client-{second}")  # larger first
    workbook = client.get("/gifts/reports/clients?year=2026&format=xlsx")
    rows = list(load_workbook(io.BytesIO(workbook.data)).active.iter_rows(min_row=2, values_only=True))
    assert [row[3:] for row in rows] == [(3, 500.0, 12000.0, 4.2), (1, 80.0, 0.0, None)]
    earlier = client.get("/gifts/reports/clients?year=2025").get_data(as_text=True)
    assert "¥500.00" in earlier and "¥7000.00" in earlier  # 5 × 100 beside 7,000
    assert client.get("/gifts/reports/clients?year=1900").status_code == 400


def test_only_managers_and_directors_read_it(app, client, login_as):
    gen_user(app, "manager")
    for role in ("specialist", "supervisor", "sales", "reception"):
        login_as(role)
        assert client.get("/gifts/reports/clients").status_code == 403
