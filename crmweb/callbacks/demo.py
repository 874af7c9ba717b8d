"""Demo data of the callback area: a complaint of today for each specialist's first client (its
same-day callback is on their "today" page), beside what the demo sales already asked for."""
import sqlalchemy as sa
from flask_babel import gettext as _

from crmweb.auth.models import User
from crmweb.callbacks.models import Callback
from crmweb.clients import timeline
from crmweb.clients.models import Client
from crmweb.extensions import db


def seed_demo_callbacks(now) -> str:
    for specialist in db.session.scalars(sa.select(User).where(User.role == "specialist")):
        mine = sa.select(Client).where(Client.owner_id == specialist.id).order_by(Client.id)
        client = db.session.scalar(mine)
        if client is not None:
            timeline.record_event(specialist, client, {
                "kind": "complaint", "occurred_at": now, "notes": _("来电反映设备噪音偏大")}, now)
    return _("回访 %(count)s 条", count=db.session.scalar(sa.select(sa.func.count(Callback.id))))
