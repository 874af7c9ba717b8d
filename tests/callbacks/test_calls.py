"""Making a call: reached (done, on the timeline as the service card, stay-in-touch reset),
unanswered (tried on later working days, then given up), a time the client asked for; rescheduled
with a reason; only by the person it is assigned to or the team's supervisors."""
import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from crmweb.callbacks.models import Callback
from crmweb.clients.models import Client, Interaction
from crmweb.extensions import db
from crmweb.timeutil import utcnow
from tests.callbacks.helpers import record_event
from tests.clients.helpers import make_client

CONTACT = {"name": "赵强", "position": "设备部经理", "mobile": "13912345678"}


def a_complaint_today(app, owner, **client_fields):
    client_id = make_client(app, owner, "华通机械有限公司", contacts=[CONTACT], **client_fields)
    record_event(app, owner, client_id, "complaint", utcnow())
    with app.app_context():
        return client_id, db.session.scalars(sa.select(Callback.id)).one()


def test_a_call_reached_is_done_and_lands_on_the_timeline(app, client, login_as):
    owner = login_as("specialist")
    client_id, callback_id = a_complaint_today(app, owner)
    page = client.get(f"/callbacks/{callback_id}").get_data(as_text=True)
    assert "请问是赵经理吗" in page and "先致歉" in page and "13912345678" in page
    answer = client.post(f"/callbacks/{callback_id}/result", data={
        "outcome": "reached", "satisfaction": "2", "needs": "希望尽快更换配件", "notes": "已说明处理时间",
        "follow_up_on": "2030-01-07"})
    assert answer.status_code == 303
    with app.app_context():
        callback = db.session.get(Callback, callback_id)
        assert (callback.status, callback.tries, callback.done_by_id) == ("done", 1, owner.id)
        entry = db.session.get(Interaction, callback.result_id)
        assert entry.kind == "callback" and entry.satisfaction == 2
        assert entry.content.startswith("用户跟踪服务卡 · 回访（调解）：确认投诉的问题")
        assert "希望尽快更换配件" in entry.content
        assert db.session.get(Client, client_id).last_contact_at == entry.occurred_at  # stay-in-touch reset
        follow_up = db.session.scalars(sa.select(Callback).where(Callback.source == "follow_up")).one()
        assert follow_up.opens_on == date(2030, 1, 7)
    timeline = client.get(f"/clients/{client_id}").get_data(as_text=True)
    assert "用户跟踪服务卡" in timeline
    assert client.post(f"/callbacks/{callback_id}/result", data={"outcome": "reached"}).status_code == 409


def test_unanswered_calls_are_tried_on_later_days_then_given_up(app, client, login_as):
    owner = login_as("specialist")
    _client_id, callback_id = a_complaint_today(app, owner)
    seen = []
    for _try in range(3):
        unanswered = client.post(f"/callbacks/{callback_id}/result", data={"outcome": "no_answer"})
        assert unanswered.status_code == 303
        with app.app_context():
            callback = db.session.get(Callback, callback_id)
            seen.append((callback.status, callback.tries, callback.opens_on))
    today = utcnow().astimezone(ZoneInfo("Asia/Shanghai")).date()
    assert [status for status, *_ in seen] == ["open", "open", "unreached"]
    assert seen[0][2] > today and seen[1][2] >= seen[0][2]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Interaction)) == 0  # no touch made


def test_a_time_the_client_asks_for_and_a_reschedule_with_its_reason(app, client, login_as):
    owner = login_as("specialist")
    _client_id, callback_id = a_complaint_today(app, owner)
    missing = client.post(f"/callbacks/{callback_id}/result", data={"outcome": "call_back"})
    assert missing.status_code == 422 and "约定的回访时间" in missing.get_data(as_text=True)
    assert client.post(f"/callbacks/{callback_id}/result", data={
        "outcome": "call_back", "call_at": "2030-01-08T15:30"}).status_code == 303
    with app.app_context():
        callback = db.session.get(Callback, callback_id)
        assert callback.opens_on == date(2030, 1, 8)
        assert callback.call_at == datetime(2030, 1, 8, 7, 30, tzinfo=UTC)
        assert callback.status == "open" and callback.tries == 0
    no_reason = client.post(f"/callbacks/{callback_id}/reschedule", data={"day": "2030-01-12", "reason": ""})
    assert no_reason.status_code == 422 and "改期须说明理由" in no_reason.get_data(as_text=True)
    past = client.post(f"/callbacks/{callback_id}/reschedule", data={"day": "2020-01-01", "reason": "出差"})
    assert past.status_code == 422
    assert client.post(f"/callbacks/{callback_id}/reschedule", data={
        "day": "2030-01-12", "reason": "客户出差"}).status_code == 303
    with app.app_context():
        callback = db.session.get(Callback, callback_id)
        # 12 January 2030 is a Saturday: the next working day.
        assert (callback.opens_on, callback.rescheduled_because) == (date(2030, 1, 14), "客户出差")


def test_only_the_assignee_or_the_teams_supervisors_make_a_call(app, client, login_as):
    owner = login_as("specialist")
    _client_id, callback_id = a_complaint_today(app, owner)
    other = app.test_client()
    login_as("specialist", on=other)
    assert other.get(f"/callbacks/{callback_id}").status_code == 403
    assert other.post(f"/callbacks/{callback_id}/result", data={"outcome": "reached"}).status_code == 403
    for role in ("reception", "admin"):
        outsider = app.test_client()
        login_as(role, on=outsider)
        assert outsider.get("/callbacks").status_code == 403
    supervisor = app.test_client()
    login_as("supervisor", on=supervisor)
    assert supervisor.get(f"/callbacks/{callback_id}").status_code == 200
    assert other.post(f"/callbacks/{callback_id}/assign", data={"assignee_id": owner.id}).status_code == 403
    listed = client.get("/callbacks").get_data(as_text=True)
    assert re.search(rf'<tr id="callback-{callback_id}">', listed)
