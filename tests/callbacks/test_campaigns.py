"""Callback campaigns: each selection method on a small set, calls shared out to people in turn
or to each client's owner; started by supervisors and managers only."""
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from crmweb.auth.models import User
from crmweb.callbacks import campaigns
from crmweb.callbacks.models import Callback
from crmweb.clients import timeline
from crmweb.clients.models import Client
from crmweb.extensions import db
from tests.callbacks.helpers import record_event
from tests.clients.helpers import make_client
from tests.conftest import gen_user

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


def chosen(app, method, figure, **within):
    with app.app_context():
        ids = campaigns.chosen_clients(campaigns.Choice(method, figure, **within), NOW, seed=1)
        return {db.session.get(Client, client_id).name for client_id in ids}


def touch(app, actor, client_id, days_ago, satisfaction=None):
    with app.app_context():
        at = NOW - timedelta(days=days_ago)
        timeline.record_interaction(db.session.get(User, actor.id), db.session.get(Client, client_id), {
            "kind": "callback", "channel": "phone", "occurred_at": at, "content": "回访",
            "satisfaction": satisfaction}, at)


def test_each_selection_method_on_a_small_set(app):
    owner = gen_user(app, "specialist")
    unhappy = make_client(app, owner, "甲公司")
    pleased_now = make_client(app, owner, "乙公司")
    complained = make_client(app, owner, "丙公司")
    old_buyer = make_client(app, owner, "丁公司")
    lost = make_client(app, owner, "戊公司", stage="lost")
    touch(app, owner, unhappy, 40, satisfaction=2)
    touch(app, owner, pleased_now, 50, satisfaction=1)
    touch(app, owner, pleased_now, 10, satisfaction=5)   # the latest counts
    touch(app, owner, lost, 40, satisfaction=1)           # lost clients are left out
    record_event(app, owner, complained, "complaint", NOW - timedelta(days=5), now=NOW)
    record_event(app, owner, old_buyer, "sale", NOW - timedelta(days=500), now=NOW)
    assert chosen(app, "low_satisfaction", 3) == {"甲公司"}
    assert chosen(app, "service_needed", 30) == {"丙公司", "丁公司"}
    assert chosen(app, "service_needed", 3) == {"丁公司"}
    # Contacted 10 days ago: 乙 only is recent; the others never or 40+ days ago (or created today).
    with app.app_context():
        for client_id in (complained, old_buyer):
            db.session.get(Client, client_id).created_at = NOW - timedelta(days=100)
        db.session.commit()
    assert chosen(app, "rarely_contacted", 30) == {"丁公司", "丙公司", "甲公司"}
    sample = chosen(app, "random", 2)
    assert len(sample) == 2 and "戊公司" not in sample
    assert chosen(app, "random", 10, tier="key") == set()


def test_a_campaign_shares_its_calls_out_in_turn(app, client, login_as):
    login_as("supervisor")
    callers = [gen_user(app, "specialist"), gen_user(app, "service")]
    owner = gen_user(app, "sales")
    ids = [make_client(app, owner, f"客户{n}有限公司", tier="important") for n in range(3)]
    make_client(app, owner, "一般客户有限公司")
    preview = client.post("/callbacks/campaigns/preview", data={"method": "random", "figure": "5",
                                                                 "tier": "important"})
    assert "3 个客户" in preview.get_data(as_text=True)
    started = client.post("/callbacks/campaigns/new", data={
        "name": "重要客户季度回访", "method": "random", "figure": "5", "tier": "important", "stage": "",
        "content_type": "rapport", "purpose": "季度问候", "opens_on": "2030-01-07", "closes_on": "2030-01-11",
        "assignee_ids": [str(callers[0].id), str(callers[1].id)]})
    assert started.status_code == 303
    with app.app_context():
        calls = db.session.scalars(sa.select(Callback).order_by(Callback.client_id)).all()
        assert [call.client_id for call in calls] == ids
        assert [call.assignee_id for call in calls] == [callers[0].id, callers[1].id, callers[0].id]
        assert {(call.opens_on, call.closes_on, call.source) for call in calls} == {
            (date(2030, 1, 7), date(2030, 1, 11), "campaign")}
    assert "重要客户季度回访" in client.get("/callbacks/campaigns").get_data(as_text=True)
    backwards = client.post("/callbacks/campaigns/new", data={
        "name": "x", "method": "random", "figure": "5", "content_type": "rapport", "purpose": "x",
        "opens_on": "2030-01-11", "closes_on": "2030-01-07"})
    assert backwards.status_code == 422 and "结束日期不能早于开始日期" in backwards.get_data(as_text=True)
    specialist = app.test_client()
    login_as("specialist", on=specialist)
    assert specialist.get("/callbacks/campaigns/new").status_code == 403
