"""Test helpers for client visits: rooms, days the rule book allows, bookings made directly."""
from datetime import datetime, time, timedelta

from crmweb.auth.models import User
from crmweb.bookings import services
from crmweb.bookings.models import MeetingRoom
from crmweb.clients.models import Client
from crmweb.extensions import db
from crmweb.timeutil import local_zone, utcnow
from crmweb.workdays import is_working_day


def make_room(app, name="一号会议室", capacity=12) -> int:
    with app.app_context():
        return services.add_room(None, name, capacity, "投影", utcnow()).id


def working_day_after(app, days: int):
    """The first working day at least `days` local days from today."""
    with app.app_context():
        day = utcnow().astimezone(local_zone()).date() + timedelta(days=days)
        while not is_working_day(day):
            day += timedelta(days=1)
        return day


def form(client_id, room_id, host_id, day, start="09:30", end="11:00", visitors="张三\n李四", **extra):
    return {"client_id": str(client_id), "room_id": str(room_id), "host_id": str(host_id),
            "starts_at": f"{day.isoformat()}T{start}", "ends_at": f"{day.isoformat()}T{end}",
            "visitors": visitors, "purpose": "考察生产线", "areas": ["showroom"], **extra}


def booked(client, data) -> int:
    """Book through the page; the new visit's id."""
    response = client.post("/bookings/new", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def book_today(app, actor_id, client_id, room_id, visitors=("张三", "李四"), approve=True):
    """A visit on the local today (made as if applied for a week ago), approved: passes issued."""
    with app.app_context():
        zone = local_zone()
        today = utcnow().astimezone(zone).date()
        actor = db.session.get(User, actor_id)
        start = datetime.combine(today, time(0, 5), tzinfo=zone)
        request = services.Request(
            client=db.session.get(Client, client_id), room=db.session.get(MeetingRoom, room_id),
            starts_at=start, ends_at=start.replace(hour=23, minute=50), visitors=list(visitors),
            purpose="参观展厅", areas=["showroom"], host=actor, holiday_allowed=True)
        booking = services.book(actor, request, start - timedelta(days=7))
        if approve:
            services.assign(actor, booking, actor, {"needs_analysed": True, "rehearsed": True,
                                                   "meals_arranged": True, "senior_manager_id": actor.id},
                            utcnow())
            services.approve(actor, booking, utcnow())
        return booking.id, [visitor.pass_code for visitor in booking.visitors]
