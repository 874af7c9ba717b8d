"""The plan workflow: every step by every duty from every state — allowed, the wrong role (403)
or the wrong state (409)."""

from datetime import date

import pytest

from crmweb.plans.rules import (
    Duty,
    PlanStatus,
    Step,
    WrongRole,
    WrongState,
    next_status,
    task_overdue,
    week_of,
)

ALLOWED = {
    (Step.SUBMIT, PlanStatus.DRAFT, Duty.DRAFT): PlanStatus.SUBMITTED,
    (Step.SUBMIT, PlanStatus.RETURNED, Duty.DRAFT): PlanStatus.SUBMITTED,
    (Step.REVIEW, PlanStatus.SUBMITTED, Duty.REVIEW): PlanStatus.REVIEWED,
    (Step.RETURN, PlanStatus.SUBMITTED, Duty.REVIEW): PlanStatus.RETURNED,
    (Step.RETURN, PlanStatus.REVIEWED, Duty.APPROVE): PlanStatus.RETURNED,
    (Step.APPROVE, PlanStatus.REVIEWED, Duty.APPROVE): PlanStatus.APPROVED,
    (Step.START, PlanStatus.APPROVED, Duty.DRAFT): PlanStatus.IN_PROGRESS,
    (Step.CLOSE, PlanStatus.IN_PROGRESS, Duty.DRAFT): PlanStatus.CLOSED,
}
# Whose steps these are at all (in some state).
OWNERS = {
    Step.SUBMIT: {Duty.DRAFT},
    Step.REVIEW: {Duty.REVIEW},
    Step.RETURN: {Duty.REVIEW, Duty.APPROVE},
    Step.APPROVE: {Duty.APPROVE},
    Step.START: {Duty.DRAFT},
    Step.CLOSE: {Duty.DRAFT},
}


@pytest.mark.parametrize("step", list(Step))
@pytest.mark.parametrize("status", list(PlanStatus))
@pytest.mark.parametrize("duty", list(Duty))
def test_every_step_by_every_duty_from_every_state(step, status, duty):
    expected = ALLOWED.get((step, status, duty))
    if expected is not None:
        assert next_status(step, status, {duty}) == expected
    elif duty not in OWNERS[step]:
        with pytest.raises(WrongRole):
            next_status(step, status, {duty})
    elif any(from_status == status for (s, from_status, _d) in ALLOWED if s == step):
        with pytest.raises(WrongRole):  # the step is allowed here, but for the other duty
            next_status(step, status, {duty})
    else:
        with pytest.raises(WrongState):
            next_status(step, status, {duty})


def test_a_person_without_duties_takes_no_step():
    for step in Step:
        with pytest.raises(WrongRole):
            next_status(step, PlanStatus.DRAFT, set())


def test_approving_a_draft_says_from_where_it_could():
    with pytest.raises(WrongState) as refused:
        next_status(Step.APPROVE, PlanStatus.DRAFT, {Duty.APPROVE})
    assert refused.value.allowed == (PlanStatus.REVIEWED,)


def test_a_task_is_overdue_the_day_after_its_deadline_while_open():
    assert not task_overdue(date(2026, 11, 23), "open", date(2026, 11, 23))
    assert task_overdue(date(2026, 11, 23), "open", date(2026, 11, 24))
    assert not task_overdue(date(2026, 11, 23), "done", date(2026, 11, 30))


def test_progress_is_reported_by_the_week_from_monday():
    assert week_of(date(2026, 11, 29)) == date(2026, 11, 23)  # Sunday → its Monday
    assert week_of(date(2026, 11, 23)) == date(2026, 11, 23)
