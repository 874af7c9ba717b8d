"""Checking the set-up: which providers are configured (never their secrets), and one test message
through them with the provider's answer."""
import secrets
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crmweb.auth.audit import record_audit
from crmweb.extensions import db
from crmweb.messages import outbox
from crmweb.messages.models import OutboxMessage

SMS_PROVIDERS = {
    "aliyun": (_l("阿里云短信"), ("ALIYUN_ACCESS_KEY_ID", "ALIYUN_ACCESS_KEY_SECRET"), "ALIYUN_SMS_ENDPOINT"),
    "tencent": (_l("腾讯云短信"), ("TENCENT_SECRET_ID", "TENCENT_SECRET_KEY", "TENCENT_SMS_SDK_APP_ID"),
                "TENCENT_SMS_ENDPOINT"),
}


def providers() -> dict[str, str]:
    """What each channel goes through, as an operator reads it: host and port, whether keys are set."""
    config = current_app.config
    console = _("console：只写日志，不真正发送")
    email = console
    if config["SMTP_URL"]:
        parts = urlsplit(config["SMTP_URL"])
        login = _("有登录账号") if parts.username else _("无登录账号")
        email = _("SMTP %(scheme)s://%(host)s:%(port)s（%(login)s）", scheme=parts.scheme,
                  host=parts.hostname, port=parts.port or "", login=login)
    sms = console
    if config["SMS_PROVIDER"] in SMS_PROVIDERS:
        name, key_settings, endpoint = SMS_PROVIDERS[config["SMS_PROVIDER"]]
        keys = _("密钥已设置") if all(config[key] for key in key_settings) else _("缺少密钥")
        sms = f"{name} {urlsplit(config[endpoint]).netloc}（{keys}）"
    return {"email": email, "sms": sms, "signature": config["SMS_SIGN_NAME"] or _("（未设置）")}


def send_test(actor, channel: str, recipient: str, now: datetime) -> OutboxMessage:
    """One test message through the configured provider, now; the row holds its answer."""
    [message_id] = outbox.queue_messages([{
        "idempotency_key": f"test:{secrets.token_hex(8)}", "channel": channel,
        "recipient": recipient, "subject": _("客户关系维护系统测试邮件"),
        "body": _("这是一条测试消息：收到说明发送配置正确。")}], now)
    record_audit("messages.test_sent", target_type="outbox", target_id=message_id, actor=actor, now=now,
                 detail=channel)
    db.session.commit()
    outbox.deliver(message_id)
    return db.session.get(OutboxMessage, message_id)
