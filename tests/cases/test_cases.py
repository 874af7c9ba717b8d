"""Cases through their whole life: deadlines from the table in working time, paused while waiting,
escalated by the pass at the breach instant and not before (and never twice), resolved, closed
only by the client's confirmation (a dissatisfied answer reopens); the KB beside it and a case
as a draft article without the client's details."""

import re
from datetime import UTC, datetime

import sqlalchemy as sa

from crmweb.auth.models import User
from crmweb.callbacks import services as callback_services
from crmweb.callbacks.models import Callback
from crmweb.cases import services
from crmweb.cases.models import Case
from crmweb.clients.models import Contact, ServiceEvent
from crmweb.dashboard.models import Notice
from crmweb.extensions import db
from crmweb.kb.models import Article
from crmweb.messages.models import OutboxMessage
from tests.cases.helpers import open_case
from tests.clients.helpers import make_client
from tests.conftest import gen_user

# Monday 23 November 2026, 10:00 in Shanghai.
MONDAY_10 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def shanghai(day, hour, minute=0):
    return datetime(2026, 11, day, hour - 8, minute, tzinfo=UTC)


def case_of(app, case_id):
    with app.app_context():
        case = db.session.get(Case, case_id)
        db.session.expunge(case)
        return case


def test_a_key_clients_complaint_gets_the_tables_deadlines_in_working_time(app):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner, "华通机械有限公司", tier="key")
    case = case_of(app, open_case(app, owner, client_id, MONDAY_10))
    # 2 working hours from 10:00 end at noon, before lunch; 2 working days (900 minutes): Wednesday 10:00.
    assert case.response_due_at == shanghai(23, 12) and case.resolution_due_at == shanghai(25, 10)
    assert case.owner_id == owner.id and case.status == "open"
    with app.app_context():  # the complaint is also on the timeline (and calls for its same-day callback)
        assert db.session.get(ServiceEvent, case.event_id).kind == "complaint"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Callback)) == 1


def test_waiting_for_the_client_moves_the_deadlines_back(app):
    owner = gen_user(app, "specialist")
    case_id = open_case(app, owner, make_client(app, owner, "华通机械有限公司"), MONDAY_10)
    with app.app_context():
        actor = db.session.get(User, owner.id)
        services.wait_for_client(actor, db.session.get(Case, case_id), shanghai(23, 11))
        assert db.session.get(Case, case_id).response_due_at is None  # paused
        services.client_replied(actor, db.session.get(Case, case_id), shanghai(23, 14, 30))
    # Waited 11:00–14:30 = 2 working hours: the 4-hour response moves from 15:30 to 17:30.
    assert case_of(app, case_id).response_due_at == shanghai(23, 17, 30)


def test_escalation_at_the_breach_instant_not_before_and_never_twice(app, runner):
    owner, manager = gen_user(app, "specialist"), gen_user(app, "manager")
    # The supervisor gave a mobile and an email: the escalation reaches them there too.
    supervisor = gen_user(app, "supervisor", mobile="+8613900000001", email="sun@example.cn")
    case_id = open_case(app, owner, make_client(app, owner, "华通机械有限公司"), MONDAY_10)
    due = case_of(app, case_id).response_due_at  # 4 working hours: 15:30
    assert due == shanghai(23, 15, 30)

    def run(at):
        result = runner.invoke(args=["cases", "escalate-due", "--at", at])
        assert result.exit_code == 0, result.output
        return result.output

    assert "0 个" in run("2026-11-23T15:29:59")
    assert case_of(app, case_id).escalation_level == 0
    assert "1 个" in run("2026-11-23T15:30")
    case = case_of(app, case_id)
    assert (case.escalation_level, case.response_breached_at) == (1, due)
    assert "0 个" in run("2026-11-23T16:00")  # the same breach escalates once
    with app.app_context():
        told = db.session.scalars(sa.select(Notice.user_id)).all()
        sent = db.session.execute(
            sa.select(OutboxMessage.channel, OutboxMessage.recipient).order_by(OutboxMessage.channel)
        ).all()
    assert told == [supervisor.id]
    assert sent == [("email", "sun@example.cn"), ("sms", "+8613900000001")]
    # The resolution deadline (3 working days: Thursday 10:00) escalates to the managers.
    assert "1 个" in run("2026-11-26T10:00")
    assert case_of(app, case_id).escalation_level == 2
    with app.app_context():
        assert manager.id in db.session.scalars(sa.select(Notice.user_id)).all()
    bad = runner.invoke(args=["cases", "escalate-due", "--at", "yesterday"])
    assert bad.exit_code != 0 and "ISO 8601" in bad.output


def test_a_late_first_response_is_recorded_and_a_breach_stays_after_closing(app):
    owner = gen_user(app, "specialist")
    case_id = open_case(app, owner, make_client(app, owner, "华通机械有限公司"), MONDAY_10)
    with app.app_context():
        services.add_note(
            db.session.get(User, owner.id),
            db.session.get(Case, case_id),
            "已联系客户",
            True,
            "phone",
            shanghai(23, 16),
        )
    case = case_of(app, case_id)
    assert case.first_response_at == shanghai(23, 16) and case.response_breached_at == shanghai(23, 15, 30)


def resolve_and_answer(app, owner, case_id, satisfaction, now):
    with app.app_context():
        actor = db.session.get(User, owner.id)
        callback = services.resolve(actor, db.session.get(Case, case_id), "更换了消音器", now)
        assert callback.source == "case" and callback.assignee_id == owner.id
        callback_services.record_result(
            actor,
            db.session.get(Callback, callback.id),
            callback_services.Result(outcome="reached", satisfaction=satisfaction),
            now,
        )


def test_only_the_clients_confirmation_closes_a_case_and_dissatisfaction_reopens_it(app):
    owner = gen_user(app, "specialist")
    case_id = open_case(app, owner, make_client(app, owner, "华通机械有限公司"), MONDAY_10)
    with app.app_context():
        services.resolve(
            db.session.get(User, owner.id), db.session.get(Case, case_id), "已处理", shanghai(23, 11)
        )
        assert db.session.get(Case, case_id).status == "resolved"
        confirmation = db.session.get(Callback, db.session.get(Case, case_id).confirmation_callback_id)
        try:
            callback_services.record_result(
                db.session.get(User, owner.id),
                confirmation,
                callback_services.Result(outcome="reached"),
                shanghai(23, 11),
            )
        except callback_services.Invalid as refused:
            assert "满意度" in refused.message
        else:
            raise AssertionError("a confirmation without the client's satisfaction was taken")
        db.session.rollback()
        callback_services.record_result(
            db.session.get(User, owner.id),
            db.session.get(Callback, confirmation.id),
            callback_services.Result(outcome="reached", satisfaction=2),
            shanghai(23, 15),
        )
    case = case_of(app, case_id)
    assert (case.status, case.satisfaction, case.resolved_at) == ("open", 2, None)
    resolve_and_answer(app, owner, case_id, 5, shanghai(24, 10))
    case = case_of(app, case_id)
    assert (case.status, case.satisfaction) == ("closed", 5) and case.closed_at == shanghai(24, 10)


def test_the_knowledge_base_beside_a_case_and_a_case_as_a_draft_article(app, client, login_as, kb):
    owner = login_as("specialist")
    client_id = make_client(
        app, owner, "华通机械有限公司", contacts=[{"name": "赵强", "mobile": "13912345678"}]
    )
    case_id = open_case(
        app,
        owner,
        client_id,
        MONDAY_10,
        kind="repair",
        cause=None,
        description="设备出现故障，赵强（13912345678）要求报修",
    )
    fragment = client.get(f"/cases/{case_id}/suggestions", headers={"HX-Request": "true"}).get_data(
        as_text=True
    )
    assert 'id="case-suggestions"' in fragment and "设备出现故障如何报修" in fragment
    assert client.post(f"/cases/{case_id}/to-kb").status_code == 409  # not resolved yet
    with app.app_context():
        services.resolve(
            db.session.get(User, owner.id),
            db.session.get(Case, case_id),
            "华通机械有限公司的设备已修好",
            shanghai(23, 11),
        )
    answer = client.post(f"/cases/{case_id}/to-kb")
    assert answer.status_code == 303 and re.search(r"/kb/\d+/edit$", answer.headers["Location"])
    with app.app_context():
        article = db.session.scalars(sa.select(Article).where(Article.status == "draft")).one()
        text = article.title + article.body
    assert "设备出现故障" in text and "已修好" in text
    assert not any(secret in text for secret in ("华通机械有限公司", "赵强", "13912345678"))


def test_a_reply_by_sms_goes_to_the_cases_contact_through_the_outbox(app, client, login_as):
    owner = login_as("specialist")
    client_id = make_client(
        app, owner, "华通机械有限公司", contacts=[{"name": "赵强", "mobile": "13912345678"}]
    )
    with app.app_context():
        contact_id = db.session.scalar(sa.select(Contact.id))
    case_id = open_case(app, owner, client_id, MONDAY_10, contact_id=contact_id)
    reply = {"text": "师傅明天上午上门", "to_client": "y", "channel": "sms"}
    assert client.post(f"/cases/{case_id}/notes", data=reply).status_code == 303
    with app.app_context():
        message = db.session.scalars(sa.select(OutboxMessage)).one()
        assert (message.recipient, message.body, message.channel) == (
            "13912345678",
            "师傅明天上午上门",
            "sms",
        )
    # Without a contact on the case, the reply is recorded and the person told it did not go.
    other_id = open_case(app, owner, client_id, MONDAY_10)
    answer = client.post(f"/cases/{other_id}/notes", data=reply, follow_redirects=True)
    assert "消息未发出" in answer.get_data(as_text=True)
