"""Demo data of the visit area: two meeting rooms and a few visits of the coming days."""
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from crmweb.auth.models import User
from crmweb.bookings import services
from crmweb.clients.models import Client
from crmweb.extensions import db
from crmweb.timeutil import local_zone
from crmweb.workdays import is_working_day

ROOMS = [("一号会议室", 12, "投影、视频会议"), ("贵宾接待室", 8, "茶歇区")]


def seed_demo_visits(now) -> str:
    rooms = [services.add_room(None, name, capacity, equipment, now) for name, capacity, equipment in ROOMS]
    manager = db.session.scalar(sa.select(User).where(User.role == "manager"))
    host = db.session.scalar(sa.select(User).where(User.role == "specialist")) or manager
    clients = db.session.scalars(sa.select(Client).where(Client.tier.in_(["key", "general"]))
                                 .order_by(Client.id).limit(3)).all()
    zone = local_zone()
    day = now.astimezone(zone).date()
    booked = 0
    for n, client in enumerate(clients):
        day += timedelta(days=1)
        while not is_working_day(day):
            day += timedelta(days=1)
        start = datetime.combine(day, time(9 + n * 2, 30), tzinfo=zone)
        booking = services.book(manager, services.Request(
            client=client, room=rooms[n % 2], starts_at=start, ends_at=start + timedelta(hours=1, minutes=30),
            visitors=["王经理", "李工程师", "赵采购"][: n + 2], purpose=_("考察生产线，洽谈年度合作"),
            areas=["showroom", "office"], host=host), now)
        checklist = {"needs_analysed": True, "rehearsed": True, "meals_arranged": True,
                     "senior_manager_id": manager.id}
        services.assign(manager, booking, host, checklist, now)
        if n < 2:
            services.approve(manager, booking, now)
        booked += 1
    return _("会议室 %(rooms)s 间，参观预约 %(visits)s 个", rooms=len(rooms), visits=booked)
