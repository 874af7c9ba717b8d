"""Templates with a live preview, a send to a selection (who is reached, who is left out and why),
its messages once each, its progress, retries; who may do what."""
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from crmweb.auth.actors import CommandLineActor
from crmweb.clients.models import Contact
from crmweb.extensions import db
from crmweb.messages import sending
from crmweb.messages.models import MessageSend, OutboxMessage
from crmweb.settings import set_setting
from crmweb.timeutil import local_zone, utcnow
from tests.clients.helpers import make_client

TEMPLATE = {"name": "中秋问候", "channel": "sms", "subject": "", "provider_template": "",
            "provider_params": "", "body": "{称呼}您好！{公司}中秋快乐。——{客户经理}"}


def clients_to_greet(app, owner):
    """Key clients: one contact reachable, one without a mobile, one who opted out of greetings.
    No quiet hours: what is sent goes at once, whatever the hour the tests run at."""
    with app.app_context():
        set_setting("messages.quiet_end", time(8, 0), CommandLineActor(), utcnow())
        db.session.commit()
    reachable = make_client(app, owner, "徐州华通机械有限公司", tier="key", contacts=[
        {"name": "王明", "position": "采购部经理", "mobile": "+8613812345678"},
        {"name": "赵强", "email": "zhao@example.cn"}])
    make_client(app, owner, "南京金陵电子科技股份有限公司", tier="key", contacts=[
        {"name": "李娜", "mobile": "+8613912345678", "greetings_opt_out": True}])
    make_client(app, owner, "苏州恒润纺织有限公司", tier="general", contacts=[
        {"name": "钱多", "mobile": "+8613712345678"}])
    return reachable


def outbox_rows(app):
    with app.app_context():
        return [(row.recipient, row.status, row.body, row.error) for row in
                db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id))]


def test_a_template_says_which_placeholders_it_does_not_know_and_previews_on_a_real_contact(
        app, client, hx_client, login_as):
    manager = login_as("manager")
    clients_to_greet(app, manager)
    wrong = client.post("/messages/templates/new", data={**TEMPLATE, "body": "{称呼}{生日}快乐"})
    assert wrong.status_code == 422 and "不认识的占位符：生日" in wrong.get_data(as_text=True)
    assert client.post("/messages/templates/new", data=TEMPLATE).status_code == 303
    login_as("manager", on=hx_client)
    shown = hx_client.post("/messages/templates/preview", data=TEMPLATE).get_data(as_text=True)
    assert shown.startswith('<section class="card" id="message-preview"')
    assert "王经理您好！徐州华通机械有限公司中秋快乐。" in shown and 'id="sms-length"' in shown


def test_a_send_reaches_whom_it_may_and_says_why_it_leaves_the_others_out(app, client, hx_client, login_as):
    manager = login_as("manager")
    clients_to_greet(app, manager)
    client.post("/messages/templates/new", data=TEMPLATE)
    with app.app_context():
        template_id = db.session.scalars(sa.select(sending.MessageTemplate.id)).one()
    login_as("manager", on=hx_client)
    checked = hx_client.post("/messages/send/preview", data={"template_id": template_id, "tier": "key"})
    text = checked.get_data(as_text=True)
    assert "将发给 1 位联系人" in text and "没有手机号或邮箱：1" in text and "已退订：1" in text
    response = client.post("/messages/send", data={"template_id": template_id, "tier": "key"})
    assert response.status_code == 303
    send_id = int(response.headers["Location"].rsplit("/", 1)[1])
    rows = outbox_rows(app)  # no Redis configured: the fan-out and the delivery ran in the request
    assert sorted(status for _, status, _, _ in rows) == ["sent", "skipped", "skipped"]
    sent = [row for row in rows if row[1] != "skipped"]
    assert sent[0][0] == "+8613812345678" and sent[0][2].startswith("王经理您好！")
    assert {row[3] for row in rows if row[1] == "skipped"} == {"没有手机号或邮箱", "已退订"}
    page = client.get(f"/messages/sends/{send_id}").get_data(as_text=True)
    assert 'id="outbox-' in page
    with app.app_context():
        sending.fan_out(send_id)  # a job run twice adds nothing
        assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 3


def test_the_daily_cap_and_the_quiet_hours(app, client, login_as):
    manager = login_as("manager")
    clients_to_greet(app, manager)
    with app.app_context():
        # 08:00–21:00, the default
        set_setting("messages.quiet_end", time(21, 0), CommandLineActor(), utcnow())
        db.session.commit()
    client.post("/messages/templates/new", data=TEMPLATE)
    with app.app_context():
        template = db.session.scalars(sa.select(sending.MessageTemplate)).one()
        zone = local_zone()
        tomorrow = (utcnow().astimezone(zone) + timedelta(days=1)).date()
        late_evening = datetime.combine(tomorrow, datetime.min.time(), tzinfo=zone).replace(hour=22)
        preview = sending.recipients(template, sending.Selection(tier="key"), True, late_evening)
        assert preview.not_before == late_evening.replace(hour=8) + timedelta(days=1)
        # Already one message for 王明 that day: the cap of one leaves him out.
        wang = db.session.scalar(sa.select(Contact).where(Contact.name == "王明"))
        from crmweb.messages import outbox
        outbox.queue_messages([{"idempotency_key": "earlier", "channel": "sms", "recipient": wang.mobile,
                                "body": "早些时候的一条", "contact_id": wang.id,
                                "not_before": preview.not_before}], utcnow())
        db.session.commit()
        capped = sending.recipients(template, sending.Selection(tier="key"), True, late_evening)
        assert capped.reached == 0 and capped.excluded[sending.rules.Exclusion.DAILY_CAP] == 1


def test_progress_polls_until_done_and_failures_can_be_sent_again(app, client, hx_client, login_as):
    manager = login_as("manager")
    clients_to_greet(app, manager)
    client.post("/messages/templates/new", data=TEMPLATE)
    with app.app_context():
        template_id = db.session.scalars(sa.select(sending.MessageTemplate.id)).one()
    send_id = int(client.post("/messages/send", data={"template_id": template_id, "tier": "key"})
                  .headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        row = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.status != "skipped")).one()
        row.status, row.error = "failed", "号码停机"
        db.session.commit()
    login_as("manager", on=hx_client)
    fragment = hx_client.get(f"/messages/sends/{send_id}").get_data(as_text=True)
    assert fragment.startswith('<section class="card" id="send-progress"') and "hx-trigger" not in fragment
    assert "失败 1" in fragment
    assert client.post(f"/messages/sends/{send_id}/retry").status_code == 303
    assert sorted(status for _, status, _, _ in outbox_rows(app)) == ["sent", "skipped", "skipped"]
    with app.app_context():
        assert db.session.get(MessageSend, send_id).status == "sending"


def test_who_may_send_and_who_may_write_templates(app, client, login_as):
    login_as("sales")
    assert client.get("/messages").status_code == 403
    specialist = app.test_client()
    login_as("specialist", on=specialist)
    assert specialist.get("/messages/send").status_code == 200
    assert specialist.post("/messages/templates/new", data=TEMPLATE).status_code == 403


def test_a_send_to_the_contacts_whose_birthday_falls_in_a_range(app, client, hx_client, login_as):
    manager = login_as("manager")
    clients_to_greet(app, manager)
    make_client(app, manager, "常州东方医疗器械有限公司", tier="key", contacts=[
        {"name": "周生", "mobile": "+8613612345678", "birthday_calendar": "solar", "birth_month": 12,
         "birth_day": 3},
        {"name": "吴秋", "mobile": "+8613512345678", "birthday_calendar": "lunar", "birth_month": 8,
         "birth_day": 15}])  # 2026-09-25
    client.post("/messages/templates/new", data=TEMPLATE)
    with app.app_context():
        template_id = db.session.scalars(sa.select(sending.MessageTemplate.id)).one()
    login_as("manager", on=hx_client)
    december = hx_client.post("/messages/send/preview", data={
        "template_id": template_id, "birthday_from": "2026-12-01", "birthday_to": "2026-12-07"})
    assert "将发给 1 位联系人" in december.get_data(as_text=True)
    autumn = hx_client.post("/messages/send/preview", data={
        "template_id": template_id, "birthday_from": "2026-09-20", "birthday_to": "2026-09-30"})
    assert "将发给 1 位联系人" in autumn.get_data(as_text=True)
    half = client.post("/messages/send", data={"template_id": template_id, "birthday_from": "2026-12-01"})
    assert half.status_code == 422 and "生日范围须填起止两天" in half.get_data(as_text=True)
