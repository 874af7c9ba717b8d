"""The maintenance plan's workflow (客户关系维护方案) as pure functions: no Flask, no database.

A supervisor drafts the plan and submits it; the customer-service manager reviews it (or
returns it with comments); the director approves it (or returns it); the supervisor starts it,
splits it into tasks, and closes it with a report. Each step belongs to one role; a step the
plan's state does not allow is refused with the reason.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class PlanStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # waiting for the manager's review
    REVIEWED = "reviewed"  # reviewed, waiting for the director's approval
    RETURNED = "returned"  # sent back with comments; resubmitted after changes
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


class Step(StrEnum):
    SUBMIT = "submit"
    REVIEW = "review"
    RETURN = "return"
    APPROVE = "approve"
    START = "start"
    CLOSE = "close"


class Duty(StrEnum):
    """Who does a step (the permission behind it is the caller's to look up)."""

    DRAFT = "draft"  # the supervisor
    REVIEW = "review"  # the manager
    APPROVE = "approve"  # the director


class Method(StrEnum):
    """Ways of keeping the relationship (维护方式)."""

    VISITS = "visits"
    EVENTS = "events"
    GIFTS = "gifts"
    TRAININGS = "trainings"
    HOTLINE = "hotline"
    TOP_MEETINGS = "top_meetings"
    BIDS = "bids"


class Level(StrEnum):
    """The client's executives the strengthening table is kept for (客户关系强化表)."""

    GENERAL_MANAGER = "general_manager"
    DEPUTY = "deputy"
    DEPARTMENT_MANAGER = "department_manager"
    DEPARTMENT_SUPERVISOR = "department_supervisor"


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


# For each step: from which states, to which state, and whose duty it is in each from-state.
WORKFLOW: dict[Step, tuple[dict[PlanStatus, Duty], PlanStatus]] = {
    Step.SUBMIT: ({PlanStatus.DRAFT: Duty.DRAFT, PlanStatus.RETURNED: Duty.DRAFT}, PlanStatus.SUBMITTED),
    Step.REVIEW: ({PlanStatus.SUBMITTED: Duty.REVIEW}, PlanStatus.REVIEWED),
    Step.RETURN: (
        {PlanStatus.SUBMITTED: Duty.REVIEW, PlanStatus.REVIEWED: Duty.APPROVE},
        PlanStatus.RETURNED,
    ),
    Step.APPROVE: ({PlanStatus.REVIEWED: Duty.APPROVE}, PlanStatus.APPROVED),
    Step.START: ({PlanStatus.APPROVED: Duty.DRAFT}, PlanStatus.IN_PROGRESS),
    Step.CLOSE: ({PlanStatus.IN_PROGRESS: Duty.DRAFT}, PlanStatus.CLOSED),
}

EDITABLE = frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED})


class WrongRole(Exception):
    """The step is not this person's to take (403)."""


class WrongState(Exception):
    """The plan's state does not allow the step (409); `allowed` says from where it could."""

    def __init__(self, allowed: tuple[PlanStatus, ...]):
        super().__init__(allowed)
        self.allowed = allowed


def next_status(step: Step, status: PlanStatus, duties: set[Duty]) -> PlanStatus:
    """The plan's state after `step`, for a person with these duties. A step that is none of
    their duties in any state is the wrong role; one that is theirs, but not from this state, is
    the wrong state; a return is the manager's before review and the director's after it."""
    from_states, to_state = WORKFLOW[step]
    if not duties & set(from_states.values()):
        raise WrongRole
    if status not in from_states:
        raise WrongState(tuple(from_states))
    if from_states[status] not in duties:
        raise WrongRole
    return to_state


def task_overdue(due_on: date, status: str, today: date) -> bool:
    return status == TaskStatus.OPEN and due_on < today


def week_of(day: date) -> date:
    """The Monday of the day's week: progress is reported once a week."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Figures:
    """What the maintenance report pulls in for the plan's clients over its period."""

    callbacks_done: int
    satisfaction_before: float | None
    satisfaction_during: float | None
    visits: int
    gifts_sent: int
    gift_spend: float
    budget: float

    @property
    def budget_left(self) -> float:
        return self.budget - self.gift_spend
