"""Maintenance plans (客户关系维护方案): the plan and its strengthening table, every step of its
workflow, its tasks and the progress reported on them."""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crmweb.auth.models import User
from crmweb.clients.models import Client, ClientLabel, Money, Short, Text
from crmweb.database import allowed_values
from crmweb.extensions import db
from crmweb.plans.rules import Level, PlanStatus, Step, TaskStatus
from crmweb.timeutil import UTCDateTime


class Plan(db.Model):
    """A plan for one client or a group of clients, with its report once closed."""

    __tablename__ = "plans"
    __table_args__ = (
        *allowed_values("status", PlanStatus),
        sa.CheckConstraint("ends_on >= starts_on", name="period"),
        sa.Index("ix_plans_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(100))
    client_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("clients.id", ondelete="SET NULL"), index=True
    )
    label_id: Mapped[int | None] = mapped_column(sa.ForeignKey("client_labels.id", ondelete="SET NULL"))
    goals: Mapped[str] = mapped_column(Text)
    methods: Mapped[str] = mapped_column(sa.String(200), default="")  # comma-separated rules.Method
    measures: Mapped[str] = mapped_column(Text, default="")
    people: Mapped[str] = mapped_column(Short, default="")
    budget: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(12), default=PlanStatus.DRAFT)
    # The last return's comments, by field ("goals", "budget", …, "" for the plan as a whole), as JSON.
    comments: Mapped[str] = mapped_column(sa.String(4000), default="{}")
    # The report (客户关系维护报告), written when the plan closes.
    achievements: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    improvements: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    client: Mapped[Client | None] = relationship()
    label: Mapped[ClientLabel | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    levels: Mapped[list["PlanLevel"]] = relationship(order_by="PlanLevel.id", cascade="all, delete-orphan")
    tasks: Mapped[list["PlanTask"]] = relationship(
        back_populates="plan", order_by="(PlanTask.due_on, PlanTask.id)", cascade="all, delete-orphan"
    )
    steps: Mapped[list["PlanStep"]] = relationship(order_by="PlanStep.id", cascade="all, delete-orphan")

    @property
    def method_list(self) -> list[str]:
        return [method for method in self.methods.split(",") if method]


class PlanLevel(db.Model):
    """A row of the relationship-strengthening table: one executive of the client."""

    __tablename__ = "plan_levels"
    __table_args__ = (*allowed_values("level", Level),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(sa.String(24))
    person: Mapped[str] = mapped_column(sa.String(64), default="")
    influence: Mapped[str] = mapped_column(Short, default="")
    competitor_relation: Mapped[str] = mapped_column(Short, default="")  # with our key competitor
    our_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    measures: Mapped[str] = mapped_column(Short, default="")
    schedule: Mapped[str] = mapped_column(Short, default="")
    notes: Mapped[str] = mapped_column(Short, default="")

    our_person: Mapped[User | None] = relationship()


class PlanStep(db.Model):
    """One step of the workflow: who, when, from which state to which, with what comment."""

    __tablename__ = "plan_steps"
    __table_args__ = (*allowed_values("step", Step),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(sa.String(10))
    from_status: Mapped[str] = mapped_column(sa.String(12))
    to_status: Mapped[str] = mapped_column(sa.String(12))
    comment: Mapped[str] = mapped_column(sa.String(1000), default="")
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())

    actor: Mapped[User | None] = relationship()


class PlanTask(db.Model):
    """Work split out of a plan to one person, with a deadline and their feedback."""

    __tablename__ = "plan_tasks"
    __table_args__ = (
        *allowed_values("status", TaskStatus),
        sa.Index("ix_plan_tasks_assignee_open", "assignee_id", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    assignee_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    due_on: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(6), default=TaskStatus.OPEN)
    feedback: Mapped[str] = mapped_column(Text, default="")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    plan: Mapped[Plan] = relationship(back_populates="tasks")
    assignee: Mapped[User] = relationship()


class ProgressReport(db.Model):
    """What a person did on a plan in a week (reported weekly while the plan is in progress)."""

    __tablename__ = "plan_progress"
    __table_args__ = (sa.Index("ix_plan_progress_author_week", "author_id", "week_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    week_of: Mapped[date]
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    author: Mapped[User] = relationship()
