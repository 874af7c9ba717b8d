"""Callbacks made by the rules table when events are recorded, whichever path records them; put
right when the event is corrected or voided; follow-ups from next-follow-up dates."""
from datetime import UTC, date, datetime

import sqlalchemy as sa

from crmweb.auth.models import User
from crmweb.callbacks import services
from crmweb.callbacks.models import Callback, CallbackRule
from crmweb.clients import timeline
from crmweb.clients.models import Client, ServiceEvent
from crmweb.extensions import db
from crmweb.workdays import SpecialDay, replace_years
from tests.callbacks.helpers import callbacks_of, record_event
from tests.clients.helpers import make_client
from tests.conftest import gen_user

# Tuesday 17 November 2026, 00:30 in Shanghai (still Monday the 16th in UTC).
JUST_AFTER_MIDNIGHT = datetime(2026, 11, 16, 16, 30, tzinfo=UTC)
RULE_FIELDS = ("event_kind", "starts_after", "ends_after", "unit", "content_type", "purpose", "assignee_id",
               "active")


def test_a_sale_calls_for_three_callbacks_counted_in_shanghai_days(app):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner, "华通机械有限公司")
    record_event(app, owner, client_id, "sale", JUST_AFTER_MIDNIGHT, product="空压机")
    assert callbacks_of(app, client_id) == [
        ("了解产品是否用得习惯", date(2026, 11, 24), date(2026, 11, 24), "open", owner.id),
        ("了解产品运行情况", date(2027, 3, 17), date(2027, 5, 17), "open", owner.id),
        ("提供上门检查服务", date(2027, 9, 17), date(2027, 11, 17), "open", owner.id),
    ]


def test_a_window_ending_on_a_holiday_moves_to_the_next_working_day(app):
    owner = gen_user(app, "specialist")
    with app.app_context():
        replace_years([SpecialDay(date(2026, 10, day), "holiday", "国庆节") for day in range(1, 8)]
                      + [SpecialDay(date(2026, 10, 10), "workday", "调休上班")], datetime.now(UTC))
        db.session.commit()
    client_id = make_client(app, owner, "华通机械有限公司")
    installed = datetime(2026, 9, 29, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Shanghai
    record_event(app, owner, client_id, "installation", installed)
    assert callbacks_of(app, client_id) == [
        ("了解对安装人员的满意度", date(2026, 9, 29), date(2026, 10, 8), "open", owner.id)]


def test_a_complaint_and_a_late_repair_are_called_back_the_same_day(app):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner, "华通机械有限公司")
    monday = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    record_event(app, owner, client_id, "complaint", monday)
    record_event(app, owner, client_id, "repair_late", monday)
    assert [(purpose[:4], opens, closes) for purpose, opens, closes, *_ in callbacks_of(app, client_id)] == [
        ("确认投诉", date(2026, 11, 23), date(2026, 11, 23)),
        ("维修超出", date(2026, 11, 23), date(2026, 11, 23))]


def test_an_old_event_typed_in_today_asks_only_for_windows_still_open(app):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner, "华通机械有限公司")
    # A sale of five months ago: the 7-day call is long past, the 4–6 month one is open.
    record_event(app, owner, client_id, "sale", datetime(2026, 6, 23, 3, 0, tzinfo=UTC),
                 now=datetime(2026, 11, 23, 3, 0, tzinfo=UTC))
    assert [purpose for purpose, *_ in callbacks_of(app, client_id)] == [
        "了解产品运行情况", "提供上门检查服务"]


def test_a_corrected_event_moves_its_callbacks_and_a_voided_one_cancels_them(app):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner, "华通机械有限公司")
    monday = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    event_id = record_event(app, owner, client_id, "repair", monday)
    assert callbacks_of(app, client_id)[0][1:3] == (date(2026, 11, 26), date(2026, 11, 30))
    with app.app_context():
        actor, client = db.session.get(User, owner.id), db.session.get(Client, client_id)
        event = db.session.get(ServiceEvent, event_id)
        tuesday = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
        timeline.correct_record(actor, client, event, {"occurred_at": tuesday}, "日期记错", monday)
    assert callbacks_of(app, client_id)[0][1:4] == (date(2026, 11, 27), date(2026, 11, 30), "open")
    with app.app_context():
        actor, client = db.session.get(User, owner.id), db.session.get(Client, client_id)
        timeline.void_record(actor, client, db.session.get(ServiceEvent, event_id), "重复录入", monday)
    assert callbacks_of(app, client_id)[0][3] == "cancelled"


def test_one_callback_per_rule_however_often_the_event_is_told(app):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner, "华通机械有限公司")
    monday = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    event_id = record_event(app, owner, client_id, "proposal", monday)
    with app.app_context():
        event, client = db.session.get(ServiceEvent, event_id), db.session.get(Client, client_id)
        services.call_back_after(event, client=client, now=monday)
        services.call_back_after(event, client=client, now=monday)
        db.session.commit()
    assert len(callbacks_of(app, client_id)) == 1


def test_the_rules_a_manager_edits_are_the_rules_applied(app):
    owner, caller = gen_user(app, "specialist"), gen_user(app, "service")
    manager = gen_user(app, "manager")
    monday = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    with app.app_context():
        rules = {(rule.event_kind, rule.starts_after): rule for rule in services.rules_in_force(monday)}
        actor = db.session.get(User, manager.id)
        for key, changes in (("sale", 10), {"active": False}), (("sale", 7), {"assignee_id": caller.id,
                                                                               "starts_after": 3}):
            rule = rules[key]
            values = {name: getattr(rule, name) for name in RULE_FIELDS}
            services.save_rule(actor, rule, {**values, **changes}, monday)
    client_id = make_client(app, owner, "华通机械有限公司")
    record_event(app, owner, client_id, "sale", monday)
    assert [(purpose, opens, closes, assignee) for purpose, opens, closes, _status, assignee
            in callbacks_of(app, client_id)] == [
        ("了解产品是否用得习惯", date(2026, 11, 26), date(2026, 11, 30), caller.id),
        ("了解产品运行情况", date(2027, 3, 23), date(2027, 5, 24), owner.id)]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CallbackRule)) == 8


def test_a_next_follow_up_date_asks_for_a_call_the_next_touch_settles(app):
    owner, colleague = gen_user(app, "specialist"), gen_user(app, "supervisor")
    client_id = make_client(app, owner, "华通机械有限公司")
    monday = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    with app.app_context():
        timeline.record_interaction(db.session.get(User, colleague.id), db.session.get(Client, client_id), {
            "kind": "visit", "channel": "visit", "occurred_at": monday, "content": "拜访，谈续约",
            "next_follow_up": date(2026, 11, 28)}, monday)  # a Saturday
    assert callbacks_of(app, client_id) == [
        ("跟进：拜访，谈续约", date(2026, 11, 30), date(2026, 11, 30), "open", owner.id)]
    with app.app_context():
        timeline.record_interaction(db.session.get(User, owner.id), db.session.get(Client, client_id), {
            "kind": "communication", "channel": "phone", "occurred_at": monday, "content": "电话沟通",
        }, monday)
        settled = db.session.scalars(sa.select(Callback)).one()
        assert (settled.status, settled.done_by_id) == ("done", owner.id)
