"""The messages area's periodic job: what is due goes out (also what waited while Redis was down)."""
from crmweb import jobs
from crmweb.extensions import db
from crmweb.messages import outbox, sending
from crmweb.timeutil import utcnow


def sweep() -> int:
    """Every minute: sends whose time has come are fanned out, messages due and waiting go to the
    workers, claims of dead workers are reconciled. Two sweeps at once still send each message
    once (the claim decides). Returns how many messages were handed over."""
    now = utcnow()
    outbox.reconcile(now)
    for send_id in sending.due_sends(now):
        jobs.enqueue(sending.fan_out, send_id)
    due = outbox.due(now)
    db.session.commit()
    outbox.hand_over(due)
    return len(due)
