"""Greetings that run by themselves: birthdays (solar and lunar) and festivals on their days, once
per rule, contact and day; `flask greetings run-due`; `flask messages test`."""
from datetime import date, datetime, time

import sqlalchemy as sa

from crmweb.auth.actors import CommandLineActor
from crmweb.clients.models import Client, ClientLabel
from crmweb.extensions import db
from crmweb.messages import greetings
from crmweb.messages.models import GreetingRule, MessageTemplate, OutboxMessage
from crmweb.settings import set_setting
from crmweb.timeutil import local_zone, utcnow
from tests.clients.helpers import make_client
from tests.conftest import gen_user


def rule(app, **fields) -> int:
    with app.app_context():
        now = utcnow()
        template = MessageTemplate(name="问候", channel="sms", body="{称呼}：{节日}快乐！", updated_at=now)
        greeting = GreetingRule(name=fields.pop("name", "生日问候"), template=template, updated_at=now,
                                send_time=time(9, 0), **fields)
        db.session.add(greeting)
        set_setting("messages.quiet_end", time(8, 0), CommandLineActor(), now)  # no quiet hours
        db.session.commit()
        return greeting.id


def greeted(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [(row.recipient, row.body, row.idempotency_key) for row in
                db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id))]


def run(app, day: date, hour=7):
    """The day's greetings, as the job runs them at `hour` (local) that day."""
    with app.app_context():
        at = datetime.combine(day, time(hour), tzinfo=local_zone())
        return greetings.run_due(day, at)


def test_birthdays_solar_and_lunar_on_their_days_once(app):
    owner = gen_user(app, "specialist")
    make_client(app, owner, "徐州华通机械有限公司", contacts=[
        {"name": "王明", "position": "经理", "mobile": "+8613812345678", "birthday_calendar": "solar",
         "birth_month": 11, "birth_day": 24},
        # Lunar 八月十五: 2026-09-25 by the solar calendar.
        {"name": "李娜", "mobile": "+8613912345678", "birthday_calendar": "lunar", "birth_month": 8,
         "birth_day": 15}])
    rule_id = rule(app, kind="birthday")
    assert run(app, date(2026, 11, 23)) == 0
    assert run(app, date(2026, 11, 24)) == 1
    assert run(app, date(2026, 11, 24)) == 0  # the same day again: nothing new
    assert run(app, date(2026, 9, 25)) == 1
    assert [(r, b) for r, b, _ in greeted(app)] == [("+8613812345678", "王经理：生日问候快乐！"),
                                                   ("+8613912345678", "李娜：生日问候快乐！")]
    key = greeted(app)[0][2]  # rule, contact and day: once each
    assert key.startswith(f"greeting:{rule_id}:") and key.endswith(":2026-11-24")


def test_a_lunar_birthday_late_in_the_lunar_year_falls_in_january_and_a_30th_on_the_29th(app):
    owner = gen_user(app, "specialist")
    make_client(app, owner, contacts=[
        # 腊月初八 of lunar 2026 is 2027-01-15; lunar 2026's twelfth month has 29 days.
        {"name": "腊八", "mobile": "+8613812345678", "birthday_calendar": "lunar", "birth_month": 12,
         "birth_day": 8},
        {"name": "三十", "mobile": "+8613912345678", "birthday_calendar": "lunar", "birth_month": 12,
         "birth_day": 30}])
    rule(app, kind="birthday")
    assert run(app, date(2027, 1, 15)) == 1
    last_day = date(2027, 2, 5)  # 腊月廿九, the last day of that short month
    assert run(app, last_day) == 1
    assert [recipient for recipient, _body, _key in greeted(app)] == ["+8613812345678", "+8613912345678"]


def test_a_festival_greeting_goes_the_day_before_to_the_tiers_chosen(app):
    owner = gen_user(app, "specialist")
    make_client(app, owner, "徐州华通机械有限公司", tier="key",
                contacts=[{"name": "王明", "mobile": "+8613812345678"}])
    make_client(app, owner, "苏州恒润纺织有限公司", tier="general",
                contacts=[{"name": "钱多", "mobile": "+8613712345678"}])
    rule(app, name="中秋问候", kind="festival", festival="中秋", tiers="key", days_before=1)
    assert run(app, date(2026, 9, 25)) == 0   # 中秋 itself: the greeting went the day before
    assert run(app, date(2026, 9, 24)) == 1
    [(recipient, body, _key)] = greeted(app)
    assert recipient == "+8613812345678" and body == "王明：中秋快乐！"
    with app.app_context():
        row = db.session.scalars(sa.select(OutboxMessage)).one()
        assert row.not_before.astimezone(local_zone()).time() == time(9, 0)  # at the rule's hour


def test_flask_greetings_run_due_and_messages_test(app, runner):
    owner = gen_user(app, "specialist")
    make_client(app, owner, "徐州华通机械有限公司", contacts=[
        {"name": "王明", "mobile": "+8613812345678", "birthday_calendar": "solar", "birth_month": 1,
         "birth_day": 1}])
    rule(app, kind="birthday")
    result = runner.invoke(args=["greetings", "run-due", "--date", "2027-01-01"])
    assert "2027-01-01：新写入问候 1 条" in result.output
    sent = runner.invoke(args=["messages", "test", "--sms", "138 1234 5678"])
    assert sent.exit_code == 0 and "已发送: console-" in sent.output
    wrong = runner.invoke(args=["messages", "test", "--sms", "12"])
    assert wrong.exit_code != 0
    # Without Redis the trial's system cron runs the sweep: the greeting due today goes out.
    assert "已交出" in runner.invoke(args=["messages", "sweep"]).output


def test_a_manager_keeps_the_greeting_rules(app, client, login_as):
    login_as("manager")
    with app.app_context():
        template = MessageTemplate(name="春节问候", channel="sms", body="{称呼}：新春快乐！",
                                   updated_at=utcnow())
        db.session.add(template)
        db.session.commit()
        template_id = template.id
    form = {"name": "春节问候", "kind": "festival", "festival": "春节", "tiers": ["key", "important"],
            "template_id": str(template_id), "days_before": "1", "send_time": "09:30", "active": "y"}
    assert client.post("/messages/greetings", data=form).status_code == 303
    with app.app_context():
        saved = db.session.scalars(sa.select(GreetingRule)).one()
        assert (saved.tier_list, saved.send_time, saved.days_before) == (["key", "important"], time(9, 30), 1)
    page = client.get(f"/messages/greetings/{saved.id}").get_data(as_text=True)
    assert f'id="greeting-{saved.id}"' in page
    assert '<input checked id="tiers-2" name="tiers" type="checkbox" value="key">' in page  # kept as chosen
    wrong = client.post("/messages/greetings", data={**form, "kind": "date", "month": "", "day": ""})
    assert wrong.status_code == 422 and "固定日期须填写月和日" in wrong.get_data(as_text=True)
    specialist = app.test_client()
    login_as("specialist", on=specialist)
    assert specialist.get("/messages/greetings").status_code == 403


def test_a_clients_founding_day_to_the_group_chosen(app):
    owner = gen_user(app, "specialist")
    partner = make_client(app, owner, "徐州华通机械有限公司", founded_on=date(1998, 11, 24),
                          contacts=[{"name": "王明", "mobile": "+8613812345678"}])
    make_client(app, owner, "苏州恒润纺织有限公司", founded_on=date(2005, 11, 24),
                contacts=[{"name": "钱多", "mobile": "+8613712345678"}])
    with app.app_context():
        label = ClientLabel(kind="group", name="战略伙伴")
        client = db.session.get(Client, partner)
        client.labels.append(label)
        db.session.commit()
        label_id = label.id
    rule(app, name="成立纪念日", kind="founding", label_id=label_id)
    assert run(app, date(2026, 11, 23)) == 0
    assert run(app, date(2026, 11, 24)) == 1  # only the group's client
    assert greeted(app)[0][0] == "+8613812345678"
