"""Providers that carry messages out of the company: one per channel, chosen by configuration.

A provider's `send(message)` returns the provider's message id, or raises:
- `Refused`: the provider will not send it (a bad number, a blocked address): final, with its reason;
- `Busy`: the provider asks to wait (rate limit): not sent, try again later;
- anything else (a timeout, a dropped connection): whether it was sent is unknown.
Credentials come from the environment only, and never reach a log or a page.
"""
from flask import current_app


class Refused(Exception):
    """The provider refused the message; its reason, in words a person can act on."""


class Busy(Exception):
    """The provider asked to be called later; nothing was sent."""


def provider_for(channel: str):
    from crmweb.integrations import aliyun, console, smtp, tencent  # noqa: PLC0415 (only the provider in use)

    config = current_app.config
    if channel == "email" and config["SMTP_URL"]:
        return smtp.SmtpProvider(config["SMTP_URL"], config["MAIL_FROM"])
    if channel == "sms" and config["SMS_PROVIDER"] == "aliyun":
        return aliyun.AliyunSms(config)
    if channel == "sms" and config["SMS_PROVIDER"] == "tencent":
        return tencent.TencentSms(config)
    return console.ConsoleProvider(channel)


def national_mobile(e164: str) -> str:
    """+8613812345678 → 13812345678: what mainland providers take."""
    return e164[3:] if e164.startswith("+86") else e164
