"""A real SMTP server on loopback (aiosmtpd) and the real Redis of the machine (database 15)."""
import email
import os

import pytest
import redis

from tests.conftest import require_service
from tests.messages import processes

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


class Mailbox:
    """What the SMTP server received, by outbox id (from the Message-ID)."""

    def __init__(self):
        self.messages, self.raw = [], []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.raw.append(envelope.original_content or envelope.content)
        self.messages.append(envelope.content.decode("utf-8", errors="replace"))
        return "250 OK"

    def texts(self) -> list[str]:
        return [email.message_from_bytes(raw).get_payload(decode=True).decode() for raw in self.raw]

    def outbox_ids(self) -> list[int]:
        ids = []
        for message in self.messages:
            marker = message.split("outbox-", 1)[1] if "outbox-" in message else ""
            ids.append(int(marker.split("@", 1)[0].split(".")[-1]) if marker else 0)
        return sorted(ids)


@pytest.fixture
def mailbox():
    from aiosmtpd.controller import Controller

    box = Mailbox()
    port = processes.free_port()  # the controller checks its own by connecting
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    box.url = f"smtp://127.0.0.1:{port}"
    yield box
    controller.stop()


@pytest.fixture
def redis_url():
    try:
        connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        connection.ping()
    except redis.exceptions.ConnectionError:
        require_service(False, f"Redis is not reachable at {REDIS_URL}")
    connection.flushdb()
    yield REDIS_URL
    connection.flushdb()
