"""The 80/20 chart opened in real Chromium and followed from a point to a client."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from crmweb.clients.models import ServiceEvent
from crmweb.extensions import db
from tests.browser.test_sign_in import sign_in
from tests.clients.helpers import make_client
from tests.conftest import gen_user

pytestmark = pytest.mark.browser


def test_open_the_pareto_chart_and_follow_a_point_to_a_client(app, live_server, browser):
    manager = gen_user(app, "manager")
    ids = [
        make_client(app, manager, name)
        for name in ("徐州华通机械有限公司", "南通江海船舶有限公司", "扬州运河机电有限公司")
    ]
    with app.app_context():
        at = datetime.now(UTC) - timedelta(days=10)
        for client_id, value in zip(ids, (700, 200, 100), strict=True):
            db.session.add(
                ServiceEvent(
                    client_id=client_id, kind="sale", occurred_at=at, amount=Decimal(value), created_at=at
                )
            )
        db.session.commit()
    page = browser.new_context(locale="zh-CN").new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, manager.username)
    page.goto(f"{live_server}/reports/pareto")
    expect(page.locator("#pareto-summary")).to_contain_text("3 个客户在此期间购买")
    expect(page.locator("svg.chart circle.point")).to_have_count(3)
    page.locator("#pareto-point-1").click()
    page.get_by_role("link", name="徐州华通机械有限公司").click()
    page.wait_for_url(f"{live_server}/clients/{ids[0]}")
    expect(page.locator("h1")).to_contain_text("徐州华通机械有限公司")
    assert errors == []
    page.context.close()
