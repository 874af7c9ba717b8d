"""The SMS providers: their signatures against the published examples, and the real HTTP calls
answered by a provider on loopback (success, flow control, a bad number, a wrong key)."""

import json

import pytest
import sqlalchemy as sa

from crmweb.extensions import db
from crmweb.integrations.aliyun import rpc_signature
from crmweb.integrations.tencent import tc3_authorization
from crmweb.messages import outbox
from crmweb.messages.models import OutboxMessage
from crmweb.timeutil import utcnow
from tests.messages import fake_sms


def test_aliyun_signature_matches_the_published_examples():
    send_sms = {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert rpc_signature(send_sms, "testSecret", "GET") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="
    describe_regions = {
        "Format": "XML",
        "AccessKeyId": "testid",
        "Action": "DescribeRegions",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "SignatureVersion": "1.0",
        "Version": "2014-05-26",
        "Timestamp": "2016-02-23T12:46:24Z",
    }
    assert rpc_signature(describe_regions, "testsecret", "GET") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_tencent_signature_matches_the_published_example():
    payload = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
    authorization = tc3_authorization(
        "AKIDEXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        "cvm.tencentcloudapi.com",
        payload,
        1551113065,
        service="cvm",
    )
    assert authorization.endswith(
        "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    )
    assert "Credential=AKIDEXAMPLE/2019-02-25/cvm/tc3_request" in authorization


@pytest.fixture
def provider():
    server, url, received = fake_sms.start()
    yield url, received
    server.shutdown()


def configure(app, name, url, secret=None):
    app.config.update(
        SMS_PROVIDER=name,
        SMS_SIGN_NAME="华通",
        ALIYUN_ACCESS_KEY_ID="key",
        ALIYUN_ACCESS_KEY_SECRET=secret or fake_sms.ALIYUN_SECRET,
        ALIYUN_SMS_ENDPOINT=url,
        TENCENT_SECRET_ID="id",
        TENCENT_SECRET_KEY=secret or fake_sms.TENCENT_SECRET,
        TENCENT_SMS_SDK_APP_ID="1400000000",
        TENCENT_SMS_ENDPOINT=url,
    )


def send(app, mobile: str, key: str) -> OutboxMessage:
    with app.app_context():
        [message_id] = outbox.queue_messages(
            [
                {
                    "idempotency_key": key,
                    "channel": "sms",
                    "recipient": mobile,
                    "body": "王经理：中秋快乐！",
                    "provider_template": "SMS_71390007",
                    "params": json.dumps({"name": "王经理"}, ensure_ascii=False),
                }
            ],
            utcnow(),
        )
        db.session.commit()
        outbox.deliver(message_id)
        return db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.id == message_id)).one()


@pytest.mark.parametrize("name", ["aliyun", "tencent"])
def test_each_provider_sends_signed_and_its_answers_are_kept(app, provider, name):
    url, received = provider
    configure(app, name, url)
    sent = send(app, "+8613812345678", "ok")
    assert sent.status == "sent" and sent.provider_message_id.endswith(str(sent.id))
    assert [(r[0], r[1], r[3]) for r in received] == [(name, str(sent.id), "SMS_71390007")]
    assert "王经理" in received[0][4]
    refused = send(app, "+86" + fake_sms.BAD_NUMBER, "bad")
    assert refused.status == "failed" and refused.error  # with the provider's code and reason
    waiting = send(app, "+86" + fake_sms.RATE_LIMITED, "busy")
    assert waiting.status == "queued" and waiting.not_before > utcnow()  # flow control: later, not lost
    assert len(received) == 1


@pytest.mark.parametrize("name", ["aliyun", "tencent"])
def test_a_wrong_key_is_refused_by_the_provider_and_said_so(app, provider, name):
    url, received = provider
    configure(app, name, url, secret="not-the-secret")
    refused = send(app, "+8613812345678", "wrong-key")
    assert refused.status == "failed" and "Signature" in refused.error and received == []
