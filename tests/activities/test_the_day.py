"""On the day: passes checked at the door and at the front desk, walk-ins, attendance; afterwards:
costs against the budget, feedback by link on the client's timeline, a call for who is interested;
new-product trials and their results per product."""

import re
from datetime import timedelta

import sqlalchemy as sa

from crmweb.activities.models import Invitation
from crmweb.callbacks.models import Callback
from crmweb.clients.models import Interaction
from crmweb.extensions import db
from crmweb.timeutil import local_zone, utcnow
from tests.activities.helpers import (
    invitation_template,
    links,
    move_activity,
    new_activity,
    people_to_invite,
    soon_today,
)


def accepted_guests(app, client, activity_id, template_id, *mobiles) -> dict[str, str]:
    """The key people of the key clients invited; those named accept. Returns name → pass code."""
    client.post(
        f"/activities/{activity_id}/invite",
        data={"template_id": template_id, "tier": "key", "key_people_only": "y"},
    )
    tokens = links(app, "rsvp")
    for mobile in mobiles:
        assert client.post(f"/activities/rsvp/{tokens[mobile]}", data={"answer": "accept"}).status_code == 200
    with app.app_context():
        return dict(
            db.session.execute(
                sa.select(Invitation.name, Invitation.pass_code).where(Invitation.activity_id == activity_id)
            ).all()
        )


def test_passes_let_guests_in_at_the_door_or_the_front_desk_once_and_walk_ins_count(app, client, login_as):
    manager = login_as("manager")
    first_client, _second = people_to_invite(app, manager)
    template_id = invitation_template(app, client)
    activity_id = new_activity(app, client, starts_in=timedelta(days=5))
    passes = accepted_guests(app, client, activity_id, template_id, "+8613812345678", "+8613912345678")
    desk = app.test_client()
    login_as("reception", on=desk)
    early = desk.post("/reception/check-in", data={"code": passes["王明"]})
    assert early.status_code == 422 and "通行证不是今天的" in early.get_data(as_text=True)

    move_activity(app, activity_id, -timedelta(days=5) + soon_today())
    listed = desk.get("/reception").get_data(as_text=True)  # the desk expects today's guests
    assert f'id="desk-activity-{activity_id}"' in listed and "王明（徐州华通机械有限公司" in listed
    at_desk = desk.post("/reception/check-in", data={"code": passes["王明"].lower()})
    assert at_desk.status_code == 200 and "王明 已签到：年终客户联谊会" in at_desk.get_data(as_text=True)
    twice = client.post(f"/activities/{activity_id}/check-in", data={"code": passes["王明"]})
    assert twice.status_code == 422 and "今天已经签到过" in twice.get_data(as_text=True)
    unknown = client.post(f"/activities/{activity_id}/check-in", data={"code": "ZZZZZZZZZZ"})
    assert unknown.status_code == 422 and "没有这张通行证" in unknown.get_data(as_text=True)
    walked = client.post(
        f"/activities/{activity_id}/walk-in", data={"name": "周到", "client_id": str(first_client)}
    )
    assert walked.status_code == 200 and "周到 已签到" in walked.get_data(as_text=True)
    page = client.get(f"/activities/{activity_id}").get_data(as_text=True)
    counts = {
        name: re.search(rf'id="count-{name}">(\d+)<', page).group(1)
        for name in ("invited", "accepted", "attended", "walk-ins")
    }
    assert counts == {"invited": "2", "accepted": "2", "attended": "1", "walk-ins": "1"}
    assert re.search(r'id="attendance-rate">50%<', page)  # one of the two who accepted came
    with app.app_context():  # both who came are on their client's timeline
        seen = db.session.scalars(
            sa.select(Interaction.content).where(
                Interaction.client_id == first_client, Interaction.kind == "activity"
            )
        ).all()
    assert sorted(seen) == ["参加活动：年终客户联谊会（周到）", "参加活动：年终客户联谊会（王明）"]


def test_costs_against_the_budget(app, client, login_as):
    login_as("manager")
    activity_id = new_activity(app, client, budget="1000")
    assert (
        client.post(f"/activities/{activity_id}/costs", data={"item": "场地", "amount": "800"}).status_code
        == 303
    )
    assert "剩余 ¥200.00" in client.get(f"/activities/{activity_id}").get_data(as_text=True)
    assert (
        client.post(f"/activities/{activity_id}/costs", data={"item": "茶点", "amount": "-5"}).status_code
        == 422
    )
    client.post(f"/activities/{activity_id}/costs", data={"item": "茶点", "amount": "350.50"})
    assert "已用 ¥1150.50，超支 ¥150.50" in client.get(f"/activities/{activity_id}").get_data(as_text=True)


def test_feedback_by_link_after_the_event_lands_on_the_timeline_and_interest_gets_a_call(
    app, client, login_as
):
    manager = login_as("manager")
    first_client, _second = people_to_invite(app, manager)
    template_id = invitation_template(app, client)
    activity_id = new_activity(app, client, starts_in=timedelta(days=5))
    passes = accepted_guests(app, client, activity_id, template_id, "+8613812345678")
    assert client.post(f"/activities/{activity_id}/feedback-requests").status_code == 409  # not over yet
    move_activity(app, activity_id, -timedelta(days=5) + soon_today())
    client.post(f"/activities/{activity_id}/check-in", data={"code": passes["王明"]})
    move_activity(app, activity_id, -timedelta(days=1))
    assert client.post(f"/activities/{activity_id}/feedback-requests").status_code == 303
    client.post(f"/activities/{activity_id}/feedback-requests")  # asked once, however often
    token = links(app, "feedback")["+8613812345678"]
    assert len(links(app, "feedback")) == 1
    form = client.get(f"/activities/feedback/{token}")
    assert form.status_code == 200 and "年终客户联谊会" in form.get_data(as_text=True)
    given = client.post(
        f"/activities/feedback/{token}", data={"rating": "4", "feedback": "安排周到", "interested": "y"}
    )
    assert given.status_code == 200 and "谢谢您的意见" in given.get_data(as_text=True)
    assert client.post(f"/activities/feedback/{token}", data={"rating": "1"}).status_code == 404  # once
    with app.app_context():
        touch = db.session.scalars(
            sa.select(Interaction).where(
                Interaction.client_id == first_client, Interaction.content.like("活动反馈%")
            )
        ).one()
        assert touch.satisfaction == 4 and "安排周到" in touch.content
        call = db.session.scalars(sa.select(Callback).where(Callback.client_id == first_client)).one()
        assert call.assignee_id == manager.id and "感兴趣" in call.purpose


def test_a_trial_sends_the_product_asks_for_feedback_and_reports_per_product(app, client, login_as):
    manager = login_as("manager")
    first_client, second_client = people_to_invite(app, manager)
    template_id = invitation_template(app, client)
    with app.app_context():
        due = (utcnow().astimezone(local_zone()) + timedelta(days=30)).date()
    assert (
        client.post(
            "/activities/new",
            data={
                "kind": "trial",
                "title": "阀门试用",
                "starts_at": "2030-01-01T09:00",
                "ends_at": "2030-01-01T10:00",
                "place": "寄送",
                "capacity": "5",
            },
        ).status_code
        == 422
    )  # a trial names its product and its feedback day
    activity_id = new_activity(
        app,
        client,
        kind="trial",
        title="节能阀门试用",
        product="节能阀门 V2",
        feedback_due_on=due.isoformat(),
    )
    accepted_guests(app, client, activity_id, template_id, "+8613812345678", "+8613912345678")
    with app.app_context():
        ids = dict(
            db.session.execute(
                sa.select(Invitation.name, Invitation.id).where(Invitation.activity_id == activity_id)
            ).all()
        )
    sent = client.post(
        f"/activities/{activity_id}/products", data={"invitation_id": [ids["王明"], ids["李娜"]]}
    )
    assert sent.status_code == 303
    with app.app_context():
        calls = db.session.scalars(sa.select(Callback).order_by(Callback.client_id)).all()
        assert [(c.client_id, c.opens_on >= due) for c in calls] == [
            (first_client, True),
            (second_client, True),
        ]
    token = links(app, "feedback")["+8613812345678"]
    client.post(f"/activities/feedback/{token}", data={"rating": "5", "feedback": "省电明显"})
    # Li answered on the feedback call: recorded by staff.
    assert (
        client.post(
            f"/activities/invitations/{ids['李娜']}/feedback", data={"rating": "2", "feedback": "噪音大"}
        ).status_code
        == 303
    )
    assert (
        client.post(f"/activities/invitations/{ids['李娜']}/feedback", data={"rating": "3"}).status_code
        == 409
    )
    report = client.get("/activities/trials").get_data(as_text=True)
    row = re.search(r'<tr id="trial-1">(.*?)</tr>', report, re.S).group(1)
    assert "节能阀门 V2" in row and [c for c in re.findall(r"<td>([^<]*)</td>", row)] == [
        "1",
        "2",
        "2",
        "3.5",
        "0",
    ]
    comments = client.get("/activities/trials?product=节能阀门 V2").get_data(as_text=True)
    assert "省电明显" in comments and "噪音大" in comments
