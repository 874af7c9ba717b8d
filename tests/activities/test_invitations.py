"""Invitations to a selection with personal reply links (valid, guessed, altered, reused, expired),
seats and the waiting list, the day-before reminder, who may run an activity."""

from datetime import timedelta

import sqlalchemy as sa

from crmweb.activities import invitations
from crmweb.activities.models import Invitation
from crmweb.extensions import db
from crmweb.messages.models import OutboxMessage
from crmweb.timeutil import utcnow
from tests.activities.helpers import (
    invitation_template,
    links,
    move_activity,
    new_activity,
    people_to_invite,
)


def invited(app, activity_id) -> dict[str, Invitation]:
    with app.app_context():
        rows = db.session.scalars(sa.select(Invitation).where(Invitation.activity_id == activity_id)).all()
        return {row.name: (row.status, row.pass_code) for row in rows}


def test_an_invitation_reaches_the_selection_with_a_link_that_works_once_for_that_person(
    app, client, login_as
):
    manager = login_as("manager")
    people_to_invite(app, manager)
    template_id = invitation_template(app, client)
    activity_id = new_activity(app, client)
    sent = client.post(
        f"/activities/{activity_id}/invite",
        data={"template_id": template_id, "tier": "key", "key_people_only": "y"},
    )
    assert sent.status_code == 303
    assert set(invited(app, activity_id)) == {"王明", "李娜"}  # key clients' key people only
    again = client.post(
        f"/activities/{activity_id}/invite",
        data={"template_id": template_id, "tier": "key", "key_people_only": "y"},
    )
    assert again.status_code == 303 and len(invited(app, activity_id)) == 2  # nobody invited twice
    tokens = links(app, "rsvp")
    assert set(tokens) == {"+8613812345678", "+8613912345678"}
    with app.app_context():
        body = db.session.scalars(
            sa.select(OutboxMessage.body).where(OutboxMessage.recipient == "+8613812345678")
        ).first()
    assert body.startswith("王经理您好，诚邀您参加年终客户联谊会（") and "三楼多功能厅" in body

    wang, li = tokens["+8613812345678"], tokens["+8613912345678"]
    page = client.get(f"/activities/rsvp/{wang}")
    assert page.status_code == 200 and "王明，诚邀您参加" in page.get_data(as_text=True)
    assert "李娜" not in page.get_data(as_text=True)  # the link shows only its own person
    spent = client.get("/activities/rsvp/not-a-link-anybody-made")
    altered = client.get(f"/activities/rsvp/{wang[:-1]}{'A' if wang[-1] != 'A' else 'B'}")
    for refused in (spent, altered):
        assert refused.status_code == 404
        text = refused.get_data(as_text=True)
        assert "链接无效" in text and "年终客户联谊会" not in text and "王明" not in text

    accepted = client.post(f"/activities/rsvp/{wang}", data={"answer": "accept"})
    assert accepted.status_code == 200 and 'id="pass-code"' in accepted.get_data(as_text=True)
    assert invited(app, activity_id)["王明"][0] == "accepted"
    reused = client.post(f"/activities/rsvp/{wang}", data={"answer": "decline"})
    assert reused.status_code == 404 and invited(app, activity_id)["王明"][0] == "accepted"
    assert client.post(f"/activities/rsvp/{li}", data={}).status_code == 422  # no answer chosen

    move_activity(app, activity_id, -timedelta(days=11))  # the activity is over: Li's link expired
    assert client.get(f"/activities/rsvp/{li}").status_code == 404
    assert invited(app, activity_id)["李娜"][0] == "invited"
    with app.app_context():  # the pass went out with the answer
        passes = db.session.scalars(
            sa.select(OutboxMessage.body).where(
                OutboxMessage.idempotency_key.like(f"activity:{activity_id}:pass:%")
            )
        ).all()
    assert len(passes) == 1 and invited(app, activity_id)["王明"][1] in passes[0]


def test_a_full_activity_puts_people_on_a_waiting_list_served_in_order(app, client, login_as):
    manager = login_as("manager")
    people_to_invite(app, manager)
    template_id = invitation_template(app, client)
    activity_id = new_activity(app, client, capacity="1")
    client.post(
        f"/activities/{activity_id}/invite", data={"template_id": template_id, "key_people_only": "y"}
    )
    tokens = links(app, "rsvp")
    first, second, third = (tokens[m] for m in ("+8613812345678", "+8613912345678", "+8613712345678"))
    assert client.post(f"/activities/rsvp/{first}", data={"answer": "accept"}).status_code == 200
    waiting = client.post(f"/activities/rsvp/{second}", data={"answer": "accept"})
    assert 'id="waitlisted"' in waiting.get_data(as_text=True)
    client.post(f"/activities/rsvp/{third}", data={"answer": "accept"})
    seats = invited(app, activity_id)
    assert [seats[n][0] for n in ("王明", "李娜", "钱多")] == ["accepted", "waitlisted", "waitlisted"]
    assert seats["李娜"][1] is None  # no pass while waiting
    # The capacity cannot fall below the seats taken.
    assert (
        client.post(
            f"/activities/{activity_id}/edit",
            data={
                "kind": "gathering",
                "title": "年终客户联谊会",
                "starts_at": "2030-01-01T14:00",
                "ends_at": "2030-01-01T17:00",
                "place": "三楼",
                "capacity": "0",
            },
        ).status_code
        == 422
    )
    with app.app_context():
        wang_id = db.session.scalar(sa.select(Invitation.id).where(Invitation.name == "王明"))
    assert client.post(f"/activities/invitations/{wang_id}/withdraw").status_code == 303
    seats = invited(app, activity_id)
    assert [seats[n][0] for n in ("王明", "李娜", "钱多")] == ["declined", "accepted", "waitlisted"]
    assert seats["李娜"][1]  # the seat came with a pass, and a message that carries it
    with app.app_context():
        told = db.session.scalars(
            sa.select(OutboxMessage.body).where(
                OutboxMessage.recipient == "+8613912345678", OutboxMessage.body.contains(seats["李娜"][1])
            )
        )
        assert len(told.all()) == 1


def test_everyone_with_a_seat_is_reminded_the_day_before_once(app, client, login_as):
    manager = login_as("manager")
    people_to_invite(app, manager)
    template_id = invitation_template(app, client)
    activity_id = new_activity(app, client, starts_in=timedelta(days=3))
    client.post(
        f"/activities/{activity_id}/invite",
        data={"template_id": template_id, "tier": "key", "key_people_only": "y"},
    )
    tokens = links(app, "rsvp")
    client.post(f"/activities/rsvp/{tokens['+8613812345678']}", data={"answer": "accept"})
    client.post(f"/activities/rsvp/{tokens['+8613912345678']}", data={"answer": "decline"})

    def reminders():
        with app.app_context():
            return db.session.scalars(
                sa.select(OutboxMessage.recipient).where(
                    OutboxMessage.idempotency_key.like(f"activity:{activity_id}:reminder:%")
                )
            ).all()

    with app.app_context():
        invitations.remind_tomorrow(utcnow())  # three days ahead: not yet
    assert reminders() == []
    with app.app_context():
        day_before = utcnow() + timedelta(days=2)
        invitations.remind_tomorrow(day_before)
        invitations.remind_tomorrow(day_before + timedelta(hours=1))  # the hourly pass runs again
    assert reminders() == ["+8613812345678"]


def test_who_may_plan_run_and_see_activities(app, client, login_as):
    login_as("manager")
    organiser_client, bystander_client = app.test_client(), app.test_client()
    organiser = login_as("specialist", on=organiser_client)
    login_as("specialist", on=bystander_client)
    activity_id = new_activity(app, client, organiser_ids=str(organiser.id))
    cost = {"item": "茶点", "amount": "100"}
    assert organiser_client.post(f"/activities/{activity_id}/costs", data=cost).status_code == 303
    assert bystander_client.get(f"/activities/{activity_id}").status_code == 200  # reads, cannot run it
    assert bystander_client.post(f"/activities/{activity_id}/costs", data=cost).status_code == 403
    assert bystander_client.get("/activities/new").status_code == 403
    for role in ("sales", "service", "reception", "admin"):
        outsider = app.test_client()
        login_as(role, on=outsider)
        assert outsider.get("/activities").status_code == 403, role
        assert outsider.get(f"/activities/{activity_id}").status_code == 403, role
