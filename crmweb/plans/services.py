"""Maintenance plans: drafted, taken through review and approval step by step (each by its role,
audited, kept in the plan's history), split into tasks, reported on weekly, closed with a report
whose figures come from the archive."""

import json
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from crmweb.auth.audit import record_audit
from crmweb.auth.models import User
from crmweb.auth.permissions import PLANS_APPROVE, PLANS_DRAFT, PLANS_REVIEW, PLANS_VIEW, role_can
from crmweb.bookings.models import Booking
from crmweb.bookings.rules import VisitStatus
from crmweb.callbacks.models import Callback
from crmweb.callbacks.rules import Status as CallbackStatus
from crmweb.clients.models import Client, Interaction, client_label_links
from crmweb.errors import Conflict, Invalid, NotAllowed, NotFound
from crmweb.extensions import db
from crmweb.gifts.models import Allocation, AllocationStatus
from crmweb.plans import labels, rules
from crmweb.plans.models import Plan, PlanLevel, PlanStep, PlanTask, ProgressReport
from crmweb.plans.rules import Duty, PlanStatus, Step, TaskStatus
from crmweb.timeutil import local_zone

DUTIES = {Duty.DRAFT: PLANS_DRAFT, Duty.REVIEW: PLANS_REVIEW, Duty.APPROVE: PLANS_APPROVE}
PLAN_FIELDS = (
    "title",
    "client_id",
    "label_id",
    "goals",
    "methods",
    "measures",
    "people",
    "budget",
    "starts_on",
    "ends_on",
)


def get_plan(plan_id: int) -> Plan:
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(_("找不到该维护方案。"))
    return plan


def plans(status: str = "") -> list[Plan]:
    query = (
        sa.select(Plan)
        .options(selectinload(Plan.client), selectinload(Plan.label))
        .order_by(Plan.updated_at.desc(), Plan.id.desc())
        .limit(500)
    )
    return db.session.scalars(query.where(Plan.status == status) if status else query).all()


def duties_of(actor: User) -> set[Duty]:
    return {duty for duty, permission in DUTIES.items() if role_can(actor.role, permission)}


def _require_draft(actor: User) -> None:
    if not role_can(actor.role, PLANS_DRAFT):
        raise NotAllowed(_("维护方案由客户关系主管起草。"))


def _check_period(values: dict) -> None:
    if values["ends_on"] < values["starts_on"]:
        raise Invalid(_("结束日期不能早于开始日期。"))
    if not values.get("client_id") and not values.get("label_id"):
        raise Invalid(_("请选择一个客户或一个客户分组。"))


def require_editable(plan: Plan) -> None:
    """What was submitted or approved stays as it was; only a draft or a returned plan changes."""
    if plan.status not in rules.EDITABLE:
        raise Conflict(_("只有草稿或退回的方案可以修改。"))


def create_plan(actor: User, values: dict, now: datetime) -> Plan:
    _require_draft(actor)
    _check_period(values)
    plan = Plan(**values, status=PlanStatus.DRAFT, created_by_id=actor.id, created_at=now, updated_at=now)
    db.session.add(plan)
    db.session.flush()
    record_audit("plans.created", target_type="plan", target_id=plan.id, actor=actor, now=now)
    db.session.commit()
    return plan


def update_plan(actor: User, plan: Plan, values: dict, now: datetime) -> None:
    """The plan's fields, while it is a draft or returned."""
    _require_draft(actor)
    require_editable(plan)
    _check_period(values)
    for name, value in values.items():
        setattr(plan, name, value)
    plan.updated_at = now
    record_audit("plans.changed", target_type="plan", target_id=plan.id, actor=actor, now=now)
    db.session.commit()


def add_level(actor: User, plan: Plan, values: dict, now: datetime) -> None:
    _require_draft(actor)
    require_editable(plan)
    plan.levels.append(PlanLevel(**values))
    plan.updated_at = now
    db.session.commit()


def remove_level(actor: User, plan: Plan, level_id: int, now: datetime) -> None:
    _require_draft(actor)
    require_editable(plan)
    plan.levels = [level for level in plan.levels if level.id != level_id]
    plan.updated_at = now
    db.session.commit()


def take_step(
    actor: User,
    plan: Plan,
    step: Step,
    now: datetime,
    comment: str = "",
    comments: dict | None = None,
    report: dict | None = None,
) -> None:
    """One step of the workflow by the role whose duty it is (403 otherwise), from a state that
    allows it (409 otherwise, saying from where it could); a return needs a comment, a close
    its report."""
    try:
        to_status = rules.next_status(step, PlanStatus(plan.status), duties_of(actor))
    except rules.WrongRole:
        raise NotAllowed(_("这一步不是您的职责：%(step)s", step=labels.STEPS[step])) from None
    except rules.WrongState as wrong:
        raise Conflict(
            _(
                "方案现在是“%(status)s”，不能%(step)s（只能在%(allowed)s时）。",
                status=labels.STATUSES[plan.status],
                step=labels.STEPS[step],
                allowed="、".join(str(labels.STATUSES[s]) for s in wrong.allowed),
            )
        ) from None
    comments = {field: text.strip() for field, text in (comments or {}).items() if text and text.strip()}
    if step == Step.RETURN:
        if not comment.strip() and not comments:
            raise Invalid(_("退回须写明意见。"))
        plan.comments = json.dumps(comments, ensure_ascii=False)
    if step == Step.CLOSE:
        if not report or not (report.get("achievements") or "").strip():
            raise Invalid(_("结束方案须写维护报告（至少写明取得的成果）。"))
        for name, value in report.items():
            setattr(plan, name, (value or "").strip())
    db.session.add(
        PlanStep(
            plan_id=plan.id,
            step=step,
            from_status=plan.status,
            to_status=to_status,
            comment=comment.strip()[:1000],
            actor_id=actor.id,
            at=now,
        )
    )
    plan.status, plan.updated_at = to_status, now
    record_audit(
        f"plans.{step}", target_type="plan", target_id=plan.id, actor=actor, now=now, detail=f"{plan.status}"
    )
    db.session.commit()


def return_comments(plan: Plan) -> dict:
    """The last return's comments by field (shown beside the fields until the plan moves on)."""
    return json.loads(plan.comments or "{}") if plan.status in rules.EDITABLE else {}


# --- tasks and progress -----------------------------------------------------------------------


def add_task(actor: User, plan: Plan, title: str, assignee: User, due_on: date, now: datetime) -> PlanTask:
    _require_draft(actor)
    if plan.status not in (PlanStatus.APPROVED, PlanStatus.IN_PROGRESS):
        raise Conflict(_("方案批准后才能分解任务。"))
    if not role_can(assignee.role, PLANS_VIEW):
        raise Invalid(_("该人员不能承担维护任务。"))
    task = PlanTask(
        plan_id=plan.id, title=title.strip()[:200], assignee_id=assignee.id, due_on=due_on, created_at=now
    )
    db.session.add(task)
    db.session.flush()
    record_audit(
        "plans.task_added",
        target_type="plan",
        target_id=plan.id,
        actor=actor,
        now=now,
        detail=f"task={task.id} to={assignee.id} due={due_on.isoformat()}",
    )
    db.session.commit()
    return task


def get_task(task_id: int) -> PlanTask:
    task = db.session.get(PlanTask, task_id)
    if task is None:
        raise NotFound(_("找不到该任务。"))
    return task


def finish_task(actor: User, task: PlanTask, feedback: str, now: datetime) -> None:
    """Done by the person it was given to (or the supervisor), with their feedback."""
    if task.assignee_id != actor.id and not role_can(actor.role, PLANS_DRAFT):
        raise NotAllowed(_("这项任务分配给了别人。"))
    if task.status != TaskStatus.OPEN:
        raise Conflict(_("这项任务已经完成了。"))
    if not feedback.strip():
        raise Invalid(_("请写下任务的完成情况。"))
    task.status, task.feedback, task.done_at = TaskStatus.DONE, feedback.strip(), now
    record_audit(
        "plans.task_done",
        target_type="plan",
        target_id=task.plan_id,
        actor=actor,
        now=now,
        detail=f"task={task.id}",
    )
    db.session.commit()


def report_progress(actor: User, plan: Plan, text: str, now: datetime) -> None:
    if plan.status != PlanStatus.IN_PROGRESS:
        raise Conflict(_("只有执行中的方案需要汇报进度。"))
    if not text.strip():
        raise Invalid(_("请写下本周的进展。"))
    db.session.add(
        ProgressReport(
            plan_id=plan.id,
            author_id=actor.id,
            text=text.strip(),
            week_of=rules.week_of(now.astimezone(local_zone()).date()),
            created_at=now,
        )
    )
    db.session.commit()


def my_tasks(user_id: int) -> list[PlanTask]:
    return db.session.scalars(
        sa.select(PlanTask)
        .where(PlanTask.assignee_id == user_id, PlanTask.status == TaskStatus.OPEN)
        .options(selectinload(PlanTask.plan))
        .order_by(PlanTask.due_on, PlanTask.id)
        .limit(50)
    ).all()


def overdue_tasks_by_person(today: date) -> list[tuple[User, int]]:
    rows = db.session.execute(
        sa.select(User, sa.func.count(PlanTask.id))
        .join(PlanTask, PlanTask.assignee_id == User.id)
        .where(PlanTask.status == TaskStatus.OPEN, PlanTask.due_on < today)
        .group_by(User.id)
        .order_by(sa.func.count(PlanTask.id).desc())
    ).all()
    return [(user, count) for user, count in rows]


def missing_reports(today: date) -> list[tuple[User, Plan]]:
    """People with open tasks on a plan in progress who have not reported on it this week."""
    monday = rules.week_of(today)
    reported = sa.select(ProgressReport.id).where(
        ProgressReport.plan_id == PlanTask.plan_id,
        ProgressReport.author_id == PlanTask.assignee_id,
        ProgressReport.week_of >= monday,
    )
    rows = db.session.execute(
        sa.select(User, Plan)
        .join(PlanTask, PlanTask.assignee_id == User.id)
        .join(Plan, Plan.id == PlanTask.plan_id)
        .where(Plan.status == PlanStatus.IN_PROGRESS, PlanTask.status == TaskStatus.OPEN, ~reported.exists())
        .distinct()
        .order_by(User.display_name, Plan.id)
    ).all()
    return [(user, plan) for user, plan in rows]


def waiting_for(actor: User) -> list[Plan]:
    """Plans waiting for this person's step: review (the manager), approval (the director)."""
    states = [
        status
        for status, duty in ((PlanStatus.SUBMITTED, Duty.REVIEW), (PlanStatus.REVIEWED, Duty.APPROVE))
        if duty in duties_of(actor)
    ]
    if not states:
        return []
    return db.session.scalars(sa.select(Plan).where(Plan.status.in_(states)).order_by(Plan.updated_at)).all()


# --- the report's figures ---------------------------------------------------------------------


def client_ids(plan: Plan) -> list[int]:
    if plan.client_id:
        return [plan.client_id]
    return db.session.scalars(
        sa.select(client_label_links.c.client_id).where(client_label_links.c.label_id == plan.label_id)
    ).all()


def figures(plan: Plan) -> rules.Figures:
    """For the plan's clients over its period (local days): callbacks made, satisfaction before
    the plan and during it, visits received, gifts sent and their value against the budget."""
    ids = client_ids(plan)
    zone = local_zone()
    begins = datetime.combine(plan.starts_on, datetime.min.time(), tzinfo=zone)
    ends = datetime.combine(plan.ends_on + timedelta(days=1), datetime.min.time(), tzinfo=zone)

    def satisfaction(*period):
        return db.session.scalar(
            sa.select(sa.func.avg(Interaction.satisfaction)).where(
                Interaction.client_id.in_(ids),
                Interaction.satisfaction.is_not(None),
                Interaction.voided_at.is_(None),
                *period,
            )
        )

    before = satisfaction(Interaction.occurred_at < begins)
    during = satisfaction(Interaction.occurred_at >= begins, Interaction.occurred_at < ends)
    callbacks = db.session.scalar(
        sa.select(sa.func.count(Callback.id)).where(
            Callback.client_id.in_(ids),
            Callback.status == CallbackStatus.DONE,
            Callback.done_at >= begins,
            Callback.done_at < ends,
        )
    )
    visits = db.session.scalar(
        sa.select(sa.func.count(Booking.id)).where(
            Booking.client_id.in_(ids),
            Booking.status == VisitStatus.APPROVED,
            Booking.starts_at >= begins,
            Booking.starts_at < ends,
        )
    )
    sent, spend = db.session.execute(
        sa.select(
            sa.func.count(Allocation.id),
            sa.func.coalesce(sa.func.sum(Allocation.unit_value * Allocation.quantity), 0),
        ).where(
            Allocation.client_id.in_(ids),
            Allocation.status == AllocationStatus.SENT,
            Allocation.sent_at >= begins,
            Allocation.sent_at < ends,
        )
    ).one()
    return rules.Figures(
        callbacks_done=callbacks,
        satisfaction_before=round(float(before), 1) if before is not None else None,
        satisfaction_during=round(float(during), 1) if during is not None else None,
        visits=visits,
        gifts_sent=sent,
        gift_spend=float(spend),
        budget=float(plan.budget),
    )


def assignable(people: list[User]) -> list[User]:
    return [person for person in people if role_can(person.role, PLANS_VIEW)]


def clients_named(ids: list[int]) -> dict[int, Client]:
    return {client.id: client for client in db.session.scalars(sa.select(Client).where(Client.id.in_(ids)))}
