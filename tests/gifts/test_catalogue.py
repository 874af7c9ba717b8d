"""The gift catalogue and its stock: movements kept, never below zero or below what is reserved,
also when people issue the last items at the same moment from separate processes."""

import multiprocessing
from decimal import Decimal

import pytest
import sqlalchemy as sa

from crmweb import create_app
from crmweb.auth.actors import CommandLineActor
from crmweb.errors import Invalid
from crmweb.extensions import db
from crmweb.gifts import rules, services
from crmweb.gifts.models import Gift, StockMovement
from crmweb.timeutil import utcnow
from tests.conftest import CrmClient, app_config, gen_user, log_in

GIFT = {
    "name": "公司标志保温杯",
    "kind": "logo",
    "unit_value": "88.00",
    "supplier": "义乌某厂",
    "low_level": "5",
    "active": "y",
}


def new_gift(client) -> int:
    response = client.post("/gifts/new", data=GIFT)
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("/", 1)[1])


def stock_of(app, gift_id):
    with app.app_context():
        gift = db.session.get(Gift, gift_id)
        return gift.stock, gift.reserved


def test_available_and_low_stock():
    assert rules.available(10, 3) == 7 and rules.available(3, 3) == 0
    assert rules.is_low(10, 5, low_level=5) and not rules.is_low(10, 4, low_level=5)


def test_a_manager_keeps_the_catalogue_and_its_stock(app, client, login_as):
    login_as("manager")
    gift_id = new_gift(client)
    assert client.post("/gifts/new", data=GIFT).status_code == 409  # the same name twice
    assert (
        client.post(
            f"/gifts/{gift_id}/stock/receive", data={"quantity": "20", "reason": "中秋采购"}
        ).status_code
        == 303
    )
    assert (
        client.post(
            f"/gifts/{gift_id}/stock/issue", data={"quantity": "8", "reason": "参观纪念品"}
        ).status_code
        == 303
    )
    too_many = client.post(f"/gifts/{gift_id}/stock/issue", data={"quantity": "13"})
    assert too_many.status_code == 422 and "库存不足：公司标志保温杯 现可用 12 件" in too_many.get_data(
        as_text=True
    )
    assert (
        client.post(f"/gifts/{gift_id}/stock/count", data={"quantity": "11", "reason": "盘点"}).status_code
        == 303
    )
    assert stock_of(app, gift_id) == (11, 0)
    with app.app_context():
        moves = db.session.scalars(sa.select(StockMovement).order_by(StockMovement.id)).all()
        assert [(m.kind, m.change, m.stock_after) for m in moves] == [
            ("received", 20, 20),
            ("issued", -8, 12),
            ("adjusted", -1, 11),
        ]
    page = client.get("/gifts").get_data(as_text=True)
    assert f'id="gift-{gift_id}"' in page and f'id="low-{gift_id}"' not in page
    assert client.post(f"/gifts/{gift_id}/stock/issue", data={"quantity": "6"}).status_code == 303
    assert f'id="low-{gift_id}"' in client.get("/gifts").get_data(as_text=True)  # 5 left: the warning
    assert client.post(f"/gifts/{gift_id}/stock/issue", data={"quantity": "-3"}).status_code == 422
    assert client.post(f"/gifts/{gift_id}/stock/steal", data={"quantity": "1"}).status_code == 404


def test_stock_held_by_reservations_cannot_be_issued_nor_counted_away(app):
    with app.app_context():
        now = utcnow()
        gift = Gift(
            name="定制茶具",
            kind="custom",
            unit_value=Decimal("680"),
            stock=10,
            reserved=6,
            created_at=now,
            updated_at=now,
        )
        db.session.add(gift)
        db.session.commit()
        actor = CommandLineActor()
        assert services.issue(actor, gift, 4, "", now) == 6
        with pytest.raises(Invalid):
            services.issue(actor, gift, 1, "", now)
        with pytest.raises(Invalid):
            services.count_again(actor, gift, 5, "", now)
        kept = db.session.get(Gift, gift.id)
        assert (kept.stock, kept.reserved) == (6, 6)


def _issue_three(database_url, username, gift_id, start, answers):
    app = create_app(app_config(database_url))
    app.test_client_class = CrmClient
    browser = app.test_client()
    log_in(browser, username)
    start.wait()
    answers.put(browser.post(f"/gifts/{gift_id}/stock/issue", data={"quantity": "3"}).status_code)


def test_many_people_issuing_the_last_items_at_once_never_make_the_stock_negative(
    app, client, database_url, login_as
):
    login_as("manager")
    gift_id = new_gift(client)
    client.post(f"/gifts/{gift_id}/stock/receive", data={"quantity": "20"})
    people = [gen_user(app, "manager") for _ in range(10)]
    with app.app_context():
        db.engine.dispose()
    context = multiprocessing.get_context("fork")
    start, answers = context.Barrier(len(people)), context.Queue()
    processes = [
        context.Process(target=_issue_three, args=(database_url, person.username, gift_id, start, answers))
        for person in people
    ]
    for process in processes:
        process.start()
    statuses = sorted(answers.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=60)
    assert statuses == [303] * 6 + [422] * 4  # 6 × 3 = 18 of 20: the seventh would go below zero
    assert stock_of(app, gift_id) == (2, 0)
