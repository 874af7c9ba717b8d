"""Test helpers for callbacks: events and interactions recorded through the timeline at a chosen
moment, as every path records them."""
from datetime import datetime, timedelta

import sqlalchemy as sa

from crmweb.auth.models import User
from crmweb.callbacks.models import Callback
from crmweb.clients import timeline
from crmweb.clients.models import Client
from crmweb.extensions import db
from crmweb.timeutil import local_zone, utcnow
from crmweb.workdays import is_working_day


def record_event(app, actor, client_id, kind, occurred_at: datetime, now: datetime | None = None, **values):
    with app.app_context():
        values = {"kind": kind, "occurred_at": occurred_at, **values}
        actor, client = db.session.get(User, actor.id), db.session.get(Client, client_id)
        return timeline.record_event(actor, client, values, now or occurred_at).id


def callbacks_of(app, client_id) -> list[tuple]:
    """(purpose, opens_on, closes_on, status, assignee_id) of the client's callbacks, oldest first."""
    with app.app_context():
        return [(c.purpose, c.opens_on, c.closes_on, c.status, c.assignee_id) for c in db.session.scalars(
            sa.select(Callback).where(Callback.client_id == client_id).order_by(Callback.id))]


def a_working_day_moment(app) -> datetime:
    """Now, or the same time on the last working day before it: a same-day callback made then is
    on today's list whatever day the tests run."""
    with app.app_context():
        moment = utcnow()
        while not is_working_day(moment.astimezone(local_zone()).date()):
            moment -= timedelta(days=1)
        return moment
