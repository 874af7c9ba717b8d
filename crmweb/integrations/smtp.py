"""Email through an SMTP server: SMTP_URL is smtp://user:password@host:587 (STARTTLS when the
server offers it), smtps://…:465 (TLS from the start), or smtp://host:25 without login."""
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import unquote, urlsplit

from flask_babel import gettext as _

from crmweb.integrations import Busy, Refused

TIMEOUT_SECONDS = 30


class SmtpProvider:
    """One connection for a job's whole batch (opened on the first message, closed at the end):
    a handshake per message would cost more than the message."""

    def __init__(self, url: str, sender: str):
        parts = urlsplit(url)
        self.tls = parts.scheme == "smtps"
        self.host, self.port = parts.hostname or "localhost", parts.port or (465 if self.tls else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.sender = sender
        self.server = None

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        if self.server is not None:
            try:
                self.server.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self.server = None

    def _connection(self):
        if self.server is None:
            context = ssl.create_default_context()
            connect = smtplib.SMTP_SSL if self.tls else smtplib.SMTP
            options = {"context": context} if self.tls else {}
            try:
                server = connect(self.host, self.port, timeout=TIMEOUT_SECONDS, **options)
                if not self.tls and server.has_extn("starttls"):
                    server.starttls(context=context)
                if self.user:
                    server.login(self.user, self.password or "")
            except OSError as error:  # nothing was handed over: safe to try again later
                raise Busy(f"SMTP {self.host}:{self.port} {type(error).__name__}") from None
            except smtplib.SMTPResponseException as answer:  # refused the login: every message would be
                raise Refused(_refusal(answer)) from None
            self.server = server
        return self.server

    def send(self, message) -> str:
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = self.sender, message.recipient, message.subject
        # The outbox id in the Message-ID: a message found in a mailbox tells which row it was.
        email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}", domain="crmweb")
        email.set_content(message.body)
        try:
            try:
                self._connection().send_message(email)
            except smtplib.SMTPServerDisconnected:  # the kept connection was closed: not accepted
                self.server = None
                self._connection().send_message(email)
        except smtplib.SMTPRecipientsRefused as refused:
            codes = "; ".join(str(code) for code, _answer in refused.recipients.values())
            raise Refused(_("收件地址被拒绝：%(codes)s", codes=codes)) from None
        except smtplib.SMTPResponseException as answer:
            if 400 <= answer.smtp_code < 500:  # the server asks to try later: nothing was accepted
                raise Busy(f"{answer.smtp_code} {answer.smtp_error!r}") from None
            raise Refused(_refusal(answer)) from None
        return email["Message-ID"]


def _refusal(answer: smtplib.SMTPResponseException) -> str:
    return f"{answer.smtp_code} {answer.smtp_error.decode(errors='replace')[:200]}"
