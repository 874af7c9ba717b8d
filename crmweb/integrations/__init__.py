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
    from crmweb.integrations import console, smtp  # noqa: PLC0415 (only the provider in use is needed)

    if channel == "email" and current_app.config["SMTP_URL"]:
        return smtp.SmtpProvider(current_app.config["SMTP_URL"], current_app.config["MAIL_FROM"])
    if channel == "sms" and current_app.config["SMS_PROVIDER"] != "console":
        raise Refused(f"SMS provider {current_app.config['SMS_PROVIDER']} is not available yet")
    return console.ConsoleProvider(channel)
