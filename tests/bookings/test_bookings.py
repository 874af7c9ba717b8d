"""Booking a visit through the pages: the rule book's refusals (422), a room taken (409), approval
and passes, cancelling, the calendar files, rooms."""
import re
from datetime import timedelta

import sqlalchemy as sa
from icalendar import Calendar

from crmweb.bookings.models import Booking, Visitor
from crmweb.extensions import db
from crmweb.timeutil import utcnow
from tests.bookings.helpers import booked, form, make_room, working_day_after
from tests.clients.helpers import make_client


def bookings(app):
    with app.app_context():
        return db.session.scalars(sa.select(Booking).order_by(Booking.id)).all()


def test_sales_book_a_visit_and_see_it(app, client, login_as):
    sales = login_as("sales")
    client_id = make_client(app, sales, tier="general")
    room_id = make_room(app)
    day = working_day_after(app, 1)
    response = client.post("/bookings/new", data=form(client_id, room_id, sales.id, day))
    assert response.status_code == 303
    booking_id = int(re.search(r"/bookings/(\d+)$", response.headers["Location"]).group(1))
    with app.app_context():
        booking = db.session.get(Booking, booking_id)
        assert [v.name for v in booking.visitors] == ["张三", "李四"] and booking.status == "requested"
        assert booking.tier == "general" and booking.souvenirs == 0 and booking.informal  # a group of two
    page = client.get(f"/bookings/{booking_id}").get_data(as_text=True)
    assert f'id="booking-{booking_id}"' in page
    assert f'id="booking-{booking_id}"' in client.get("/bookings").get_data(as_text=True)


def test_an_important_client_booked_too_soon_is_told_the_earliest_day(app, client, login_as):
    sales = login_as("sales")
    client_id = make_client(app, sales, tier="important")
    room_id = make_room(app)
    too_soon = working_day_after(app, 1)
    response = client.post("/bookings/new", data=form(client_id, room_id, sales.id, too_soon))
    assert response.status_code == 422
    assert "重要客户须至少提前 5 天申请" in response.get_data(as_text=True)
    assert bookings(app) == []
    in_time = client.post("/bookings/new", data=form(client_id, room_id, sales.id, working_day_after(app, 6)))
    assert in_time.status_code == 303
    with app.app_context():
        assert bookings(app)[0].souvenirs == 2


def test_a_room_is_never_held_twice(app, client, login_as):
    sales = login_as("sales")
    client_id = make_client(app, sales)
    room_id = make_room(app)
    day = working_day_after(app, 2)
    assert client.post("/bookings/new", data=form(client_id, room_id, sales.id, day)).status_code == 303
    overlapping = client.post("/bookings/new", data=form(client_id, room_id, sales.id, day, start="10:30",
                                                         end="12:00"))
    assert overlapping.status_code == 409
    assert "会议室已被占用" in overlapping.get_data(as_text=True)
    assert "09:30–11:00" in overlapping.get_data(as_text=True)  # the holder's time
    # Back to back is not an overlap.
    assert client.post("/bookings/new", data=form(client_id, room_id, sales.id, day, start="11:00",
                                                  end="12:00")).status_code == 303
    assert len(bookings(app)) == 2


def test_the_room_must_hold_the_group_and_general_clients_stay_out_of_key_areas(app, client, login_as):
    sales = login_as("sales")
    client_id = make_client(app, sales, tier="general")
    small = make_room(app, "小会议室", capacity=2)
    day = working_day_after(app, 1)
    crowded = client.post("/bookings/new", data=form(client_id, small, sales.id, day, visitors="甲\n乙\n丙"))
    assert crowded.status_code == 422 and "会议室只能容纳 2 人" in crowded.get_data(as_text=True)
    key_area = client.post("/bookings/new", data=form(client_id, small, sales.id, day, areas=["production"]))
    assert key_area.status_code == 422 and "一般客户不得参观重要生产厂区" in key_area.get_data(as_text=True)
    assert bookings(app) == []


def test_bad_input_is_answered_beside_the_fields(app, client, login_as):
    sales = login_as("sales")
    room_id = make_room(app)
    day = working_day_after(app, 1)
    good = form(1, room_id, sales.id, day)
    for data in ({**good, "client_id": "999999"}, {**good, "client_id": "x"}, {**good, "starts_at": "明天"},
                 {**good, "room_id": "99999999999"}):
        response = client.post("/bookings/new", data=data)
        assert response.status_code == 422, data
        assert 'class="error"' in response.get_data(as_text=True)
    assert bookings(app) == []


def test_the_form_says_which_rules_apply_as_it_changes(app, hx_client, login_as):
    sales = login_as("sales", on=hx_client)
    client_id = make_client(app, sales, tier="important")
    room_id = make_room(app)
    day = working_day_after(app, 1)
    answer = hx_client.post("/bookings/check", data=form(client_id, room_id, sales.id, day))
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and text.startswith('<aside class="card guidance" id="guidance"')
    assert "须指派专人陪同讲解" in text and "每人赠送公司纪念品一份：共 2 份" in text
    assert "重要客户须至少提前 5 天申请" in text and 'id="room-free"' in text
    picked = hx_client.get("/bookings/clients", query_string={"client_q": "华通"}).get_data(as_text=True)
    assert f'data-client-id="{client_id}"' in picked


def test_approval_needs_a_guide_and_a_manager_and_issues_a_pass_each(app, client, login_as):
    sales = login_as("sales")
    client_id = make_client(app, sales, tier="important")
    room_id = make_room(app)
    booking_id = booked(client, form(client_id, room_id, sales.id, working_day_after(app, 6)))
    assert client.post(f"/bookings/{booking_id}/approve").status_code == 403  # sales may not
    manager = app.test_client()
    login_as("manager", on=manager)
    no_guide = manager.post(f"/bookings/{booking_id}/approve")
    assert no_guide.status_code == 422 and "请先指派陪同讲解人员" in no_guide.get_data(as_text=True)
    prepared = manager.post(f"/bookings/{booking_id}/prepare", data={"guide_id": str(sales.id)})
    assert prepared.status_code == 303
    assert manager.post(f"/bookings/{booking_id}/approve").status_code == 303
    assert manager.post(f"/bookings/{booking_id}/approve").status_code == 409  # already approved
    with app.app_context():
        codes = db.session.scalars(sa.select(Visitor.pass_code).where(Visitor.booking_id == booking_id)).all()
    assert len(set(codes)) == 2 and all(re.fullmatch(r"[2-9A-HJ-NP-Z]{8}", code) for code in codes)
    passes = manager.get(f"/bookings/{booking_id}/passes").get_data(as_text=True)
    for code in codes:
        assert f'id="pass-{code}"' in passes
    assert passes.count("<svg") == 2 and "禁止拍照" in passes


def test_a_supervisor_approves_only_when_the_setting_says_so(app, client, login_as):
    supervisor = login_as("supervisor")
    client_id = make_client(app, supervisor, tier="general")
    room_id = make_room(app)
    booking_id = booked(client, form(client_id, room_id, supervisor.id, working_day_after(app, 1),
                                     visitors="\n".join(f"访客{n}" for n in range(10))))
    assert client.post(f"/bookings/{booking_id}/approve").status_code == 403
    manager = app.test_client()
    login_as("manager", on=manager)
    assert manager.post("/bookings/settings", data={"notice_days": "5", "small_group": "10",
                                                    "supervisor_approves": "y"}).status_code == 303
    assert client.post(f"/bookings/{booking_id}/approve").status_code == 303


def test_cancelling_voids_the_passes_and_frees_the_room(app, client, login_as):
    manager = login_as("manager")
    client_id = make_client(app, manager, tier="key")
    room_id = make_room(app)
    day = working_day_after(app, 1)
    booking_id = booked(client, form(client_id, room_id, manager.id, day))
    client.post(f"/bookings/{booking_id}/prepare", data={"guide_id": str(manager.id)})
    assert client.post(f"/bookings/{booking_id}/approve").status_code == 303
    assert client.post(f"/bookings/{booking_id}/cancel").status_code == 303
    with app.app_context():
        assert all(v.voided_at for v in db.session.scalars(sa.select(Visitor)))
    assert client.post("/bookings/new", data=form(client_id, room_id, manager.id, day)).status_code == 303


def test_a_visit_and_a_room_as_icalendar(app, client, login_as):
    sales = login_as("sales")
    client_id = make_client(app, sales)
    room_id = make_room(app)
    booking_id = booked(client, form(client_id, room_id, sales.id, working_day_after(app, 1)))
    one = Calendar.from_ical(client.get(f"/bookings/{booking_id}.ics").data)
    [event] = one.walk("VEVENT")
    assert "徐州华通机械有限公司" in str(event["summary"]) and str(event["location"]) == "一号会议室"
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=90)
    room = Calendar.from_ical(client.get(f"/rooms/{room_id}.ics").data)
    assert [str(e["uid"]) for e in room.walk("VEVENT")] == [f"booking-{booking_id}@crmweb"]


def test_rooms_are_kept_by_the_administrator_and_by_the_command_line(app, client, login_as, runner):
    login_as("admin")
    assert client.post("/admin/rooms", data={"name": "贵宾室", "capacity": "8"}).status_code == 303
    assert client.post("/admin/rooms", data={"name": "贵宾室", "capacity": "8"}).status_code == 409
    assert client.post("/admin/rooms", data={"name": "", "capacity": "0"}).status_code == 422
    assert "贵宾室" in client.get("/admin/rooms").get_data(as_text=True)
    result = runner.invoke(args=["rooms", "add", "大会议室", "--capacity", "30"])
    assert "已添加会议室：大会议室（30 人）" in result.output
    sales = app.test_client()
    login_as("sales", on=sales)
    assert sales.get("/admin/rooms").status_code == 403


def test_merging_two_archives_of_a_client_keeps_its_visits(app, client, login_as):
    from crmweb.clients import duplicates
    from crmweb.clients.models import Client
    manager = login_as("manager")
    keep = make_client(app, manager, name="徐州华通机械有限公司")
    gone = make_client(app, manager, name="徐州华通机械", duplicate=True)
    booking_id = booked(client, form(gone, make_room(app), manager.id, working_day_after(app, 1)))
    with app.app_context():
        actor = db.session.get(type(manager), manager.id)
        duplicates.merge_clients(actor, db.session.get(Client, keep), db.session.get(Client, gone), utcnow())
        assert db.session.get(Booking, booking_id).client_id == keep


def test_changing_a_visit_voids_its_passes_and_asks_for_approval_again(app, client, login_as):
    manager = login_as("manager")
    client_id = make_client(app, manager, tier="key")
    room_id = make_room(app)
    day = working_day_after(app, 2)
    other = booked(client, form(client_id, room_id, manager.id, day, start="14:00", end="15:00"))
    booking_id = booked(client, form(client_id, room_id, manager.id, day))
    client.post(f"/bookings/{booking_id}/prepare", data={"guide_id": str(manager.id)})
    assert client.post(f"/bookings/{booking_id}/approve").status_code == 303
    with app.app_context():
        old_codes = {v.pass_code for v in db.session.get(Booking, booking_id).visitors}
    assert "张三\n李四</textarea>" in client.get(f"/bookings/{booking_id}/edit").get_data(as_text=True)
    # Into the other visit's time: refused, and nothing of the change is kept.
    taken = client.post(f"/bookings/{booking_id}/edit", data=form(client_id, room_id, manager.id, day,
                                                                   start="14:30", end="15:30"))
    assert taken.status_code == 409 and "14:00–15:00" in taken.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Booking, booking_id).status == "approved"
    moved = client.post(f"/bookings/{booking_id}/edit", data=form(client_id, room_id, manager.id, day,
                                                                   start="10:00", end="11:30",
                                                                   visitors="张三\n王五"))
    assert moved.status_code == 303
    with app.app_context():
        booking = db.session.get(Booking, booking_id)
        assert booking.status == "requested" and booking.approved_at is None
        assert [v.name for v in booking.expected] == ["张三", "王五"]
        assert {v.pass_code for v in booking.visitors if v.voided_at} == old_codes
    assert client.post(f"/bookings/{booking_id}/approve").status_code == 303
    with app.app_context():
        fresh = {v.pass_code for v in db.session.get(Booking, booking_id).expected}
    assert len(fresh) == 2 and not fresh & old_codes
    assert other  # the other visit still holds its time


def test_only_who_booked_hosts_or_approves_may_change_or_cancel_a_visit(app, client, login_as):
    sales = login_as("sales")
    client_id = make_client(app, sales)
    booking_id = booked(client, form(client_id, make_room(app), sales.id, working_day_after(app, 1)))
    stranger = app.test_client()
    login_as("specialist", on=stranger)
    for method, url in (("get", f"/bookings/{booking_id}/edit"), ("post", f"/bookings/{booking_id}/cancel"),
                        ("post", f"/bookings/{booking_id}/prepare")):
        assert getattr(stranger, method)(url).status_code == 403, url
    assert 'id="edit-booking"' not in stranger.get(f"/bookings/{booking_id}").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Booking, booking_id).status == "requested"
    assert 'id="edit-booking"' in client.get(f"/bookings/{booking_id}").get_data(as_text=True)
