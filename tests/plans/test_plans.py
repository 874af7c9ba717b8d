"""Plans through their pages: drafted, each step by its role only (403) from a state that allows
it (409), returned with comments beside the fields and resubmitted, split into tasks, reported on,
closed with a report whose figures come from the archive."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from crmweb.auth.models import User
from crmweb.callbacks.models import Callback
from crmweb.clients import timeline
from crmweb.clients.models import Client
from crmweb.extensions import db
from crmweb.gifts.models import Allocation, Campaign, Gift
from crmweb.plans import services
from crmweb.plans.models import Plan, PlanStep
from tests.clients.helpers import make_client
from tests.clients.test_query_counts import statements_for
from tests.conftest import gen_user, log_in

PLAN = {
    "title": "华通机械 2027 年维护方案",
    "goals": "提高满意度，争取续约",
    "methods": ["visits", "gifts"],
    "measures": "每季度拜访一次",
    "people": "张主管、李专员",
    "budget": "5000",
    "starts_on": "2027-01-01",
    "ends_on": "2027-06-30",
    "label_id": "",
}
ROLES = ("director", "manager", "supervisor", "specialist", "sales", "service", "reception", "admin")


@pytest.fixture
def people(app):
    """A signed-in test client per role."""
    clients = {}
    for role in ROLES:
        user = gen_user(app, role)
        clients[role] = app.test_client()
        log_in(clients[role], user.username)
        clients[role].user = user
    return clients


def draft(app, people, client_name="华通机械有限公司", **changes):
    client_id = make_client(app, people["supervisor"].user, client_name)
    answer = people["supervisor"].post("/plans/new", data={**PLAN, "client_id": client_id, **changes})
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return int(answer.headers["Location"].rsplit("/", 1)[1]), client_id


def status_of(app, plan_id):
    with app.app_context():
        return db.session.get(Plan, plan_id).status


# In each state, each step: who may take it; everyone else is refused.
CHAIN = [("submit", "supervisor"), ("review", "manager"), ("approve", "director"), ("start", "supervisor")]


def test_every_step_by_its_role_only_from_a_state_that_allows_it(app, people):
    plan_id, _client_id = draft(app, people)
    for step, owner in CHAIN:
        for role in ROLES:
            if role != owner:
                answer = people[role].post(f"/plans/{plan_id}/{step}")
                # Whose step it is not: 403 (or, with no plans at all, 403 too); never a change.
                assert answer.status_code == 403, (step, role)
        assert status_of(app, plan_id) != "closed"
        # Steps of other states by their own roles: the wrong state, with the reason.
        for other, other_owner in CHAIN:
            if other != step:
                refused = people[other_owner].post(f"/plans/{plan_id}/{other}")
                assert refused.status_code in (403, 409), (step, other)
                if refused.status_code == 409:
                    assert "不能" in refused.get_data(as_text=True)
        assert people[owner].post(f"/plans/{plan_id}/{step}").status_code == 303
    assert status_of(app, plan_id) == "in_progress"
    assert people["director"].post(f"/plans/{plan_id}/approve").status_code == 409
    with app.app_context():
        steps = db.session.scalars(sa.select(PlanStep.step).order_by(PlanStep.id)).all()
    assert steps == ["submit", "review", "approve", "start"]


def test_a_plan_returned_with_comments_beside_the_fields_and_resubmitted(app, people):
    plan_id, _client_id = draft(app, people)
    supervisor, manager, director = people["supervisor"], people["manager"], people["director"]
    assert supervisor.post(f"/plans/{plan_id}/submit").status_code == 303
    empty = manager.post(f"/plans/{plan_id}/return", data={"comment": ""})
    assert empty.status_code == 422 and "退回须写明意见" in empty.get_data(as_text=True)
    assert (
        manager.post(
            f"/plans/{plan_id}/return", data={"comment": "预算偏高", "on_budget": "请压到 3000 元以内"}
        ).status_code
        == 303
    )
    assert status_of(app, plan_id) == "returned"
    form = supervisor.get(f"/plans/{plan_id}/edit").get_data(as_text=True)
    assert re.search(r'id="comment-budget">审批意见：请压到 3000 元以内', form)
    assert (
        supervisor.post(
            f"/plans/{plan_id}/edit", data={**PLAN, "client_id": "", "label_id": "", "budget": "3000"}
        ).status_code
        == 422
    )  # no client
    client_id = make_client(app, people["supervisor"].user, "金山化工有限公司")
    assert (
        supervisor.post(
            f"/plans/{plan_id}/edit", data={**PLAN, "client_id": client_id, "budget": "3000"}
        ).status_code
        == 303
    )
    assert supervisor.post(f"/plans/{plan_id}/submit").status_code == 303
    assert manager.post(f"/plans/{plan_id}/review").status_code == 303
    assert director.post(f"/plans/{plan_id}/return", data={"comment": "目标要量化"}).status_code == 303
    assert manager.post(f"/plans/{plan_id}/return", data={"comment": "x"}).status_code == 409
    page = supervisor.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert "目标要量化" in page and page.count('id="plan-step-') == 5
    # Approved plans no longer change.
    for step, role in CHAIN[:3]:
        people[role].post(f"/plans/{plan_id}/{step}")
    assert supervisor.post(f"/plans/{plan_id}/edit", data={**PLAN, "client_id": client_id}).status_code == 409


def test_tasks_progress_and_the_closing_report_with_its_figures(app, people):
    plan_id, client_id = draft(app, people, starts_on="2026-01-01", ends_on="2026-12-31")
    supervisor, specialist = people["supervisor"], people["specialist"]
    task = {"title": "拜访设备部", "assignee_id": specialist.user.id, "due_on": "2026-02-01"}
    assert supervisor.post(f"/plans/{plan_id}/tasks", data=task).status_code == 409  # not approved yet
    for step, role in CHAIN:
        people[role].post(f"/plans/{plan_id}/{step}")
    assert supervisor.post(f"/plans/{plan_id}/tasks", data=task).status_code == 303
    assert specialist.post(f"/plans/{plan_id}/tasks", data=task).status_code == 403
    today = specialist.get("/").get_data(as_text=True)
    assert "拜访设备部" in today and "已逾期" in today[today.index('id="today-plans"') :]
    lead = supervisor.get("/today/plans").get_data(as_text=True)
    assert "本周尚未汇报进展" in lead and specialist.user.display_name in lead
    assert specialist.post(f"/plans/{plan_id}/progress", data={"text": "已约好下周拜访"}).status_code == 303
    assert "本周尚未汇报进展" not in supervisor.get("/today/plans").get_data(as_text=True)
    with app.app_context():
        task_id = db.session.scalar(sa.select(Plan).where(Plan.id == plan_id)).tasks[0].id
    assert people["sales"].post(f"/plans/tasks/{task_id}/done", data={"feedback": "x"}).status_code == 403
    assert (
        specialist.post(f"/plans/tasks/{task_id}/done", data={"feedback": "已拜访，客户满意"}).status_code
        == 303
    )

    # The archive during 2026: satisfaction 2 before, 4 and 5 during; one callback done; one gift.
    with app.app_context():
        actor, client = db.session.get(User, supervisor.user.id), db.session.get(Client, client_id)
        for when, score in (
            (datetime(2025, 12, 1, 2, tzinfo=UTC), 2),
            (datetime(2026, 3, 1, 2, tzinfo=UTC), 4),
            (datetime(2026, 6, 1, 2, tzinfo=UTC), 5),
        ):
            timeline.record_interaction(
                actor,
                client,
                {
                    "kind": "callback",
                    "channel": "phone",
                    "occurred_at": when,
                    "content": "回访",
                    "satisfaction": score,
                },
                when,
            )
        at = datetime(2026, 5, 1, 2, tzinfo=UTC)
        db.session.add(
            Callback(
                client_id=client_id,
                source="campaign",
                purpose="回访",
                content_type="rapport",
                opens_on=date(2026, 5, 1),
                closes_on=date(2026, 5, 1),
                status="done",
                done_at=at,
                created_at=at,
            )
        )
        gift = Gift(
            name="茶叶",
            kind="custom",
            unit_value=Decimal("300"),
            stock=0,
            reserved=0,
            created_at=at,
            updated_at=at,
        )
        campaign = Campaign(
            name="2026 端午",
            starts_on=date(2026, 5, 1),
            ends_on=date(2026, 6, 1),
            budget=Decimal(1000),
            created_at=at,
        )
        db.session.add_all([gift, campaign])
        db.session.flush()
        db.session.add(
            Allocation(
                campaign_id=campaign.id,
                client_id=client_id,
                category="vip",
                gift_id=gift.id,
                quantity=2,
                unit_value=Decimal("300"),
                status="sent",
                created_at=at,
                sent_at=at,
            )
        )
        db.session.commit()
        figures = services.figures(db.session.get(Plan, plan_id))
    assert (figures.callbacks_done, figures.satisfaction_before, figures.satisfaction_during) == (1, 2.0, 4.5)
    assert (figures.gifts_sent, figures.gift_spend, figures.budget_left) == (1, 600.0, 4400.0)
    no_report = supervisor.post(f"/plans/{plan_id}/close", data={"achievements": ""})
    assert no_report.status_code == 422
    assert (
        supervisor.post(
            f"/plans/{plan_id}/close",
            data={
                "achievements": "满意度由 2 升到 4.5",
                "problems": "配件供应慢",
                "improvements": "备库存",
                "next_steps": "续约",
            },
        ).status_code
        == 303
    )
    closed = specialist.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert "客户关系维护报告" in closed and "满意度由 2 升到 4.5" in closed and "¥600.00 / ¥5000.00" in closed
    listed = specialist.get("/plans?status=closed").get_data(as_text=True)
    assert f'id="plan-{plan_id}"' in listed


def test_who_sees_plans(app, people):
    plan_id, _client_id = draft(app, people)
    for role in ("sales", "service", "reception", "admin"):
        assert people[role].get("/plans").status_code == 403
        assert people[role].get(f"/plans/{plan_id}").status_code == 403
    for role in ("director", "manager", "supervisor", "specialist"):
        assert people[role].get(f"/plans/{plan_id}").status_code == 200
    assert people["specialist"].get("/plans/new").status_code == 403
    assert (
        people["supervisor"].post("/plans/new", data={**PLAN, "client_id": "", "label_id": ""}).status_code
        == 422
    )
    assert people["supervisor"].get("/plans/999999").status_code == 404
    assert people["supervisor"].post(f"/plans/{plan_id}/dance").status_code == 404


def test_the_plan_list_and_a_plan_cost_the_same_for_few_and_many(app, people):
    supervisor = people["supervisor"]
    plan_id, _client_id = draft(app, people)
    few_list = statements_for(app, supervisor, "/plans")
    few_page = statements_for(app, supervisor, f"/plans/{plan_id}")
    for n in range(10):
        draft(app, people, client_name=f"客户{n}有限公司", title=f"方案{n}")
    for step, role in CHAIN:
        people[role].post(f"/plans/{plan_id}/{step}")
    for n in range(8):
        supervisor.post(
            f"/plans/{plan_id}/tasks",
            data={"title": f"任务{n}", "assignee_id": supervisor.user.id, "due_on": "2030-01-01"},
        )
    assert statements_for(app, supervisor, "/plans") == few_list
    # In progress, the page adds its figures (a fixed few statements), not one per task.
    assert statements_for(app, supervisor, f"/plans/{plan_id}") <= few_page + 8
