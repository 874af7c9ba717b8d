"""The front desk: no pass, no entry; the visit on the client's timeline; nothing of the archive."""

import re

import sqlalchemy as sa

from crmweb.bookings.models import Visitor
from crmweb.clients.models import Interaction
from crmweb.extensions import db
from crmweb.gifts.models import Gift
from tests.bookings.helpers import book_today, booked, form, make_room, working_day_after
from tests.clients.helpers import SECRET, make_client


def test_check_in_by_pass_then_the_same_pass_again_is_refused(app, client, login_as):
    manager = login_as("manager")
    client_id = make_client(app, manager, tier="key")
    booking_id, codes = book_today(app, manager.id, client_id, make_room(app))
    desk = app.test_client()
    login_as("reception", on=desk)
    assert f'id="booking-{booking_id}"' in desk.get("/reception").get_data(as_text=True)
    # A USB scanner types the code; people type it in lower case, with spaces.
    welcomed = desk.post("/reception/check-in", data={"code": codes[0].lower()[:4] + " " + codes[0][4:]})
    assert welcomed.status_code == 200 and 'id="check-in-ok"' in welcomed.get_data(as_text=True)
    again = desk.post("/reception/check-in", data={"code": codes[0]})
    assert again.status_code == 422 and "通行证今天已经签到过" in again.get_data(as_text=True)
    with app.app_context():
        visit = db.session.scalars(sa.select(Interaction).where(Interaction.client_id == client_id)).one()
        assert visit.kind == "reception" and "张三、李四" in visit.content
        visitor = db.session.scalar(sa.select(Visitor).where(Visitor.pass_code == codes[0]))
        assert visitor.checked_in_at is not None
    # The second visitor's arrival does not record the visit twice.
    assert desk.post("/reception/check-in", data={"code": codes[1]}).status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Interaction.id))) == 1
    assert desk.post(f"/reception/visitors/{visitor.id}/check-out").status_code == 303


def test_no_pass_no_entry(app, client, login_as):
    manager = login_as("manager")
    client_id = make_client(app, manager, tier="key")
    room_id = make_room(app)
    booking_id, voided = book_today(app, manager.id, client_id, room_id)
    desk = app.test_client()
    login_as("reception", on=desk)
    unknown = desk.post("/reception/check-in", data={"code": "ZZZZ9999"})
    assert unknown.status_code == 422 and "没有这张通行证" in unknown.get_data(as_text=True)
    empty = desk.post("/reception/check-in", data={"code": ""})
    assert empty.status_code == 422
    assert client.post(f"/bookings/{booking_id}/cancel").status_code == 303
    cancelled = desk.post("/reception/check-in", data={"code": voided[0]})
    assert cancelled.status_code == 422 and "通行证已作废" in cancelled.get_data(as_text=True)
    # A pass for another day.
    later = booked(client, form(client_id, room_id, manager.id, working_day_after(app, 2)))
    client.post(f"/bookings/{later}/prepare", data={"guide_id": str(manager.id)})
    assert client.post(f"/bookings/{later}/approve").status_code == 303
    with app.app_context():
        passes = sa.select(Visitor.pass_code).where(Visitor.booking_id == later)
        other_day = db.session.scalars(passes).first()
    refused = desk.post("/reception/check-in", data={"code": other_day})
    assert refused.status_code == 422 and "通行证不是今天的" in refused.get_data(as_text=True)


def test_picking_the_name_checks_in_by_the_same_rule_as_the_pass(app, client, login_as):
    manager = login_as("manager")
    client_id = make_client(app, manager, tier="key")
    approved_id, _codes = book_today(app, manager.id, client_id, make_room(app))
    waiting_id, _none = book_today(app, manager.id, client_id, make_room(app, "二号会议室"), approve=False)
    desk = app.test_client()
    login_as("reception", on=desk)
    with app.app_context():
        first, unapproved = (
            db.session.scalars(sa.select(Visitor.id).where(Visitor.booking_id == booking)).first()
            for booking in (approved_id, waiting_id)
        )
    assert desk.post(f"/reception/visitors/{first}/check-in").status_code == 200
    refused = desk.post(f"/reception/visitors/{unapproved}/check-in")
    assert refused.status_code == 422 and "没有这张通行证" in refused.get_data(as_text=True)


def test_a_walk_in_is_recorded_and_the_person_asked_for_is_told(app, client, login_as):
    host = login_as("sales")
    desk = app.test_client()
    login_as("reception", on=desk)
    assert (
        desk.post(
            "/reception/walk-in", data={"name": "王先生", "company": "某某公司", "host_id": str(host.id)}
        ).status_code
        == 303
    )
    assert "王先生" in desk.get("/reception").get_data(as_text=True)
    assert "王先生（某某公司）未预约来访，在前台找您。" in client.get("/notices").get_data(as_text=True)
    assert desk.post("/reception/walk-in", data={"name": ""}).status_code == 422


def test_reception_sees_the_clients_name_and_tier_and_nothing_of_the_archive(app, client, login_as):
    manager = login_as("manager")
    client_id = make_client(app, manager, tier="key", secret=True)
    booking_id, codes = book_today(app, manager.id, client_id, make_room(app))
    desk = app.test_client()
    desk.environ_base["HTTP_HX_REQUEST"] = "true"
    login_as("reception", on=desk)
    for url in (
        "/reception",
        "/bookings",
        f"/bookings/{booking_id}",
        f"/bookings/{booking_id}/passes",
        "/bookings/rooms",
        "/bookings/rooms?view=week",
        f"/bookings/{booking_id}.ics",
        "/bookings/clients?client_q=华通",
    ):
        for fragment in (False, True):
            desk.environ_base["HTTP_HX_REQUEST"] = "true" if fragment else "false"
            response = desk.get(url)
            assert response.status_code == 200, url
            assert SECRET not in response.get_data(as_text=True), url
    desk.environ_base["HTTP_HX_REQUEST"] = "true"
    checked = desk.post("/reception/check-in", data={"code": codes[0]}).get_data(as_text=True)
    assert "徐州华通机械有限公司" in checked and SECRET not in checked
    assert desk.get(f"/clients/{client_id}").status_code == 403


def test_the_host_is_told_on_every_page_when_visitors_arrive(app, client, login_as):
    host = login_as("manager")
    client_id = make_client(app, host, tier="key")
    booking_id, codes = book_today(app, host.id, client_id, make_room(app))
    assert 'id="notice-' not in client.get("/notices").get_data(as_text=True)
    desk = app.test_client()
    login_as("reception", on=desk)
    desk.post("/reception/check-in", data={"code": codes[0]})
    told = client.get("/notices", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "张三（徐州华通机械有限公司）已到前台。" in told and f'href="/bookings/{booking_id}"' in told
    # Nobody else hears of it; reading it clears it for the host alone.
    assert "已到前台" not in desk.get("/notices").get_data(as_text=True)
    notice_id = int(re.search(r'id="notice-(\d+)"', told).group(1))
    assert desk.post(f"/notices/{notice_id}/read").status_code == 200
    assert "已到前台" in client.get("/notices").get_data(as_text=True)
    assert "已到前台" not in client.post(f"/notices/{notice_id}/read").get_data(as_text=True)


def test_todays_visits_on_the_today_page_of_the_host_and_the_desk_and_named_in_the_audit_log(
    app, client, login_as
):
    host = login_as("manager")
    client_id = make_client(app, host, tier="key")
    booking_id, _codes = book_today(app, host.id, client_id, make_room(app))
    assert f'id="today-booking-{booking_id}"' in client.get("/").get_data(as_text=True)
    desk = app.test_client()
    login_as("reception", on=desk)
    assert f'id="today-booking-{booking_id}"' in desk.get("/").get_data(as_text=True)
    other = app.test_client()
    login_as("sales", on=other)
    assert 'id="today-visits"' not in other.get("/").get_data(as_text=True)  # not their visit
    auditor = app.test_client()
    login_as("admin", on=auditor)
    log = auditor.get("/admin/audit").get_data(as_text=True)
    assert 'title="booking.approved">批准参观、签发通行证</td>' in log  # the area's own name for it


def test_an_important_visits_souvenirs_are_reserved_at_approval_issued_at_check_in_released_on_cancel(
    app, client, login_as
):
    manager = login_as("manager")
    gift_id = int(
        client.post(
            "/gifts/new",
            data={
                "name": "公司标志保温杯",
                "kind": "logo",
                "unit_value": "88",
                "low_level": "0",
                "active": "y",
            },
        )
        .headers["Location"]
        .rsplit("/", 1)[1]
    )
    client.post(f"/gifts/{gift_id}/stock/receive", data={"quantity": "5"})
    assert client.post("/gifts/visit-souvenir", data={"gift_id": gift_id}).status_code == 303
    client_id = make_client(app, manager, tier="important")
    room_id = make_room(app)
    booking_id, codes = book_today(app, manager.id, client_id, room_id, visitors=("张三", "李四", "王五"))
    with app.app_context():
        assert (db.session.get(Gift, gift_id).stock, db.session.get(Gift, gift_id).reserved) == (5, 3)
    desk = app.test_client()
    login_as("reception", on=desk)
    assert desk.post("/reception/check-in", data={"code": codes[0]}).status_code == 200
    with app.app_context():
        assert (db.session.get(Gift, gift_id).stock, db.session.get(Gift, gift_id).reserved) == (2, 0)
    # Another visit of two: its souvenirs held at approval, released when it is cancelled.
    waiting_id, _codes = book_today(
        app, manager.id, client_id, make_room(app, "二号会议室"), visitors=("甲", "乙"), approve=False
    )
    client.post(f"/bookings/{waiting_id}/prepare", data={"guide_id": str(manager.id)})
    assert client.post(f"/bookings/{waiting_id}/approve").status_code == 303  # two souvenirs: both held
    assert client.post(f"/bookings/{waiting_id}/cancel").status_code == 303
    with app.app_context():
        assert (db.session.get(Gift, gift_id).stock, db.session.get(Gift, gift_id).reserved) == (2, 0)
