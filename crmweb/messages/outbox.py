"""The outbox's use cases: write messages (once each), hand them to workers, deliver each once.

Delivery is safe to repeat at every step: a message is sent only by the worker that wins it
(queued → sending, one conditional UPDATE that one transaction at a time can make), and what the
provider answered is written before anything else happens to the row. A worker that dies between
winning and writing leaves the row in `sending`: `reconcile` marks it unknown for a person to
check, never sends it again blindly. The sweep (jobs.py) hands over what waits.
"""
from collections.abc import Iterable
from contextlib import ExitStack
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from crmweb import jobs
from crmweb.database import chunks, uniform_rows
from crmweb.extensions import db
from crmweb.integrations import Busy, Refused, provider_for
from crmweb.messages.models import OutboxMessage, OutboxStatus
from crmweb.timeutil import utcnow

BATCH = 100                            # messages one job delivers
BUSY_BACKOFF = timedelta(minutes=2)     # a provider's rate limit: try again after this, doubled


def queue_messages(rows: Iterable[dict], now: datetime) -> list[int]:
    """Messages into the outbox, in the caller's transaction: each a dict of the row's columns with
    its `idempotency_key`; a key already there is left as it is. Returns the new rows' ids."""
    rows = [{"status": OutboxStatus.QUEUED, "not_before": now, "attempts": 0, "subject": "",
             "provider_template": "", "params": "", "created_at": now, **row} for row in rows]
    if not rows:
        return []
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert  # noqa: PLC0415 (the dialect of the database in use only)
    else:
        from sqlalchemy.dialects.sqlite import insert  # noqa: PLC0415 (the dialect of the database in use only)
    table = OutboxMessage.__table__
    rows = uniform_rows(table, rows)  # one INSERT for many rows: the same columns in each
    statement = insert(table).on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(table.c.id)
    added = []
    for chunk in chunks(rows, 500):
        added += db.session.scalars(statement, chunk).all()
    return added


def for_person(person, text: str, client_id: int | None, key: str, now: datetime) -> list[dict]:
    """Rows telling one of our own people something by SMS and email, where they gave their
    mobile and email (their contact-details page); each keyed `{key}:{channel}`."""
    return [
        {"channel": channel, "recipient": address, "subject": text[:200], "body": text,
         "client_id": client_id, "not_before": now, "idempotency_key": f"{key}:{channel}"}
        for channel, address in (("sms", person.mobile), ("email", person.email)) if address
    ]


def hand_over(ids: list[int]) -> None:
    """Ask workers to deliver these messages now (after the caller's commit)."""
    for batch in chunks(ids, BATCH):
        jobs.enqueue(deliver, *batch)


def due(now: datetime) -> list[int]:
    """Messages waiting whose time has come, oldest first."""
    return db.session.scalars(sa.select(OutboxMessage.id).where(
        OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.not_before <= now)
        .order_by(OutboxMessage.id).limit(50_000)).all()


def reconcile(now: datetime) -> int:
    """Messages claimed by a worker that never wrote back. Where the provider can be asked (by our
    id), it says: sent, or never arrived (then it waits its turn again, safely); otherwise whether
    it went out is unknown and a person checks, rather than anyone sending it twice."""
    stuck_after = timedelta(seconds=current_app.config["OUTBOX_STUCK_SECONDS"])
    stuck = db.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_at < now - stuck_after)).all()
    for message in stuck:
        provider = provider_for(message.channel)
        # The provider's id when it has the message, None when it never arrived, False: cannot say.
        try:
            found = provider.lookup(message) if hasattr(provider, "lookup") else False
        except Exception:  # noqa: BLE001 (the provider could not say: a person checks)
            found = False
        if found:
            message.status, message.provider_message_id, message.sent_at = OutboxStatus.SENT, found, now
        elif found is None:
            message.status, message.not_before = OutboxStatus.QUEUED, now
        else:
            message.status = OutboxStatus.UNKNOWN
            message.error = _("发送中断，是否已发出不明：请核对服务商记录。")
    db.session.commit()
    return len(stuck)


def claim(message_id: int, now: datetime) -> OutboxMessage | None:
    """queued → sending for this worker, and the message; None when another has it, it is done, or
    it is not yet due. One at a time: a worker that dies holds at most the message in hand."""
    won = db.session.scalars(sa.update(OutboxMessage).where(
        OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.QUEUED,
        OutboxMessage.not_before <= now)
        .values(status=OutboxStatus.SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage)).first()
    # Out of the session, the commit does not expire what RETURNING gave: reading the message
    # again would open a transaction (a write one for a worker on SQLite, BEGIN IMMEDIATE) held
    # through the provider's answer, and the other workers would wait for it.
    if won is not None:
        db.session.expunge(won)
    db.session.commit()
    return won


def deliver(*message_ids: int) -> int:
    """The job: send each message this worker wins; returns how many it sent. Each provider is
    opened once for the batch (one SMTP connection for a hundred emails)."""
    sent, providers = 0, {}
    with ExitStack() as opened:
        for message_id in message_ids:
            message = claim(message_id, utcnow())
            if message is None:
                continue
            if message.channel not in providers:
                provider = provider_for(message.channel)
                if hasattr(provider, "__enter__"):  # kept open for the batch, closed at the end
                    provider = opened.enter_context(provider)
                providers[message.channel] = provider
            sent += _send(message, providers[message.channel])
            db.session.add(message)  # what the provider answered, in a transaction of its own
            db.session.commit()
    return sent


def _send(message: OutboxMessage, provider) -> int:
    now = utcnow()
    try:
        provider_id = provider.send(message)
    except Refused as refused:
        message.status, message.error = OutboxStatus.FAILED, str(refused)[:500]
        return 0
    except Busy as busy:
        # Nothing went out: waits its turn again, longer each time.
        message.status, message.error = OutboxStatus.QUEUED, str(busy)[:500]
        message.not_before = now + BUSY_BACKOFF * 2 ** min(message.attempts - 1, 6)
        return 0
    except Exception as error:  # noqa: BLE001 (whatever it was, the provider may have sent it)
        message.status = OutboxStatus.UNKNOWN
        message.error = _("发送时出错，是否已发出不明：%(error)s", error=type(error).__name__)[:500]
        return 0
    message.status, message.provider_message_id, message.sent_at = OutboxStatus.SENT, provider_id[:100], now
    message.error = None
    return 1
