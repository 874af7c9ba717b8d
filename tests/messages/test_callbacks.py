"""Receipts and replies pushed by the SMS providers: the secret address, deduplicated receipts,
replies on the timeline and to the owner, opting out by reply; a forged call changes nothing."""

import sqlalchemy as sa

from crmweb.clients.models import Interaction
from crmweb.dashboard.models import Notice
from crmweb.extensions import db
from crmweb.messages import outbox
from crmweb.messages.models import OptOut, OutboxMessage
from crmweb.timeutil import utcnow
from tests.clients.helpers import make_client
from tests.conftest import gen_user

SECRET = "callback-secret-0123456789"


def sent_message(app) -> int:
    with app.app_context():
        [message_id] = outbox.queue_messages(
            [{"idempotency_key": "k", "channel": "sms", "recipient": "+8613812345678", "body": "您好"}],
            utcnow(),
        )
        db.session.commit()
        outbox.deliver(message_id)  # console: provider id console-<id>
        return message_id


def status(app, message_id):
    with app.app_context():
        return db.session.get(OutboxMessage, message_id).status


def test_a_receipt_marks_delivered_once_and_a_forged_one_changes_nothing(app, client):
    app.config["SMS_CALLBACK_TOKEN"] = SECRET
    message_id = sent_message(app)
    receipt = [
        {
            "biz_id": f"console-{message_id}",
            "out_id": str(message_id),
            "success": True,
            "err_code": "DELIVERED",
            "err_msg": "用户接收成功",
            "phone_number": "13812345678",
        }
    ]
    assert client.post("/messages/callbacks/aliyun/receipt/wrong-secret", json=receipt).status_code == 404
    assert status(app, message_id) == "sent"
    forged = [{**receipt[0], "biz_id": "guessed"}]
    assert client.post(f"/messages/callbacks/aliyun/receipt/{SECRET}", json=forged).status_code == 200
    assert status(app, message_id) == "sent"
    answer = client.post(f"/messages/callbacks/aliyun/receipt/{SECRET}", json=receipt)
    assert answer.status_code == 200 and answer.get_json() == {"code": 0, "msg": "成功"}
    assert status(app, message_id) == "delivered"
    failed_later = [{**receipt[0], "success": False, "err_code": "MK:0001"}]
    client.post(f"/messages/callbacks/aliyun/receipt/{SECRET}", json=failed_later)  # a duplicate, late
    assert status(app, message_id) == "delivered"
    app.config["SMS_CALLBACK_TOKEN"] = ""  # not configured: nothing is accepted
    assert client.post("/messages/callbacks/aliyun/receipt/", json=receipt).status_code == 404


def test_a_reply_lands_on_the_timeline_tells_the_owner_and_td_opts_out(app, client):
    app.config["SMS_CALLBACK_TOKEN"] = SECRET
    owner = gen_user(app, "specialist")
    make_client(app, owner, contacts=[{"name": "王明", "mobile": "+8613812345678"}])
    question = [{"mobile": "13812345678", "nationcode": "86", "text": "请问保修多久？", "time": 1}]
    assert client.post(f"/messages/callbacks/tencent/reply/{SECRET}", json=question).get_json() == {
        "result": 0,
        "errmsg": "OK",
    }
    client.post(
        f"/messages/callbacks/aliyun/reply/{SECRET}",
        json=[{"phone_number": "13812345678", "content": " td "}],
    )
    with app.app_context():
        replies = db.session.scalars(sa.select(Interaction.content).order_by(Interaction.id)).all()
        assert replies == ["短信回复（王明）：请问保修多久？", "短信回复（王明）： td "]
        assert db.session.scalars(sa.select(Notice.user_id)).all() == [owner.id, owner.id]
        assert db.session.scalars(sa.select(OptOut.channel)).all() == ["sms"]
    bad = client.post(
        f"/messages/callbacks/aliyun/reply/{SECRET}", data="not json", content_type="application/json"
    )
    assert bad.status_code == 400


def test_the_administrator_sees_which_providers_are_set_never_their_secrets_and_sends_a_test(
    app, client, login_as
):
    app.config.update(
        SMS_PROVIDER="aliyun",
        ALIYUN_ACCESS_KEY_ID="LTAI-visible-id",
        ALIYUN_ACCESS_KEY_SECRET="very-secret-value",
        SMS_SIGN_NAME="华通",
    )
    login_as("admin")
    page = client.get("/admin/messages").get_data(as_text=True)
    assert "阿里云短信 dysmsapi.aliyuncs.com（密钥已设置）" in page
    assert "very-secret-value" not in page and "LTAI-visible-id" not in page
    app.config["SMS_PROVIDER"] = "console"
    sent = client.post("/admin/messages", data={"channel": "sms", "recipient": "138 1234 5678"})
    assert sent.status_code == 200 and 'id="test-result"' in sent.get_data(as_text=True)
    assert "已发送：console-" in sent.get_data(as_text=True)
    assert client.post("/admin/messages", data={"channel": "sms", "recipient": "12"}).status_code == 422
    manager = app.test_client()
    login_as("manager", on=manager)
    assert manager.get("/admin/messages").status_code == 403
