"""Activities' use cases: an activity planned with the people responsible, the day at the door
(check-in by pass, here or at the front desk; walk-ins), attendance, costs against the budget, the
trial results per product. Invitations, answers and feedback are in invitations.py."""

from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from crmweb.activities import rules
from crmweb.activities.models import Activity, ActivityCost, Invitation
from crmweb.activities.rules import Status
from crmweb.auth.audit import record_audit
from crmweb.auth.models import User
from crmweb.auth.permissions import ACTIVITIES_MANAGE, role_can
from crmweb.bookings import rules as pass_rules
from crmweb.bookings.labels import PASS_REFUSALS
from crmweb.bookings.services import new_pass_code, typed_code
from crmweb.clients import timeline
from crmweb.clients.models import Client
from crmweb.errors import Conflict, Invalid, NotAllowed, NotFound
from crmweb.extensions import db
from crmweb.timeutil import local_zone

PASS_LENGTH = 10  # longer than a visit's pass (8): the desk tells the two apart by length


def activities(upcoming: bool, now: datetime) -> list[Activity]:
    """Upcoming (from today on, soonest first) or past (latest first)."""
    today_starts = datetime.combine(now.astimezone(local_zone()).date(), time(0), tzinfo=local_zone())
    query = sa.select(Activity).options(selectinload(Activity.organisers))
    if upcoming:
        query = query.where(Activity.ends_at >= today_starts).order_by(Activity.starts_at, Activity.id)
    else:
        query = query.where(Activity.ends_at < today_starts).order_by(Activity.starts_at.desc(), Activity.id)
    return db.session.scalars(query.limit(200)).all()


def get_activity(activity_id: int) -> Activity:
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        raise NotFound(_("找不到该活动。"))
    return activity


def may_run(actor: User, activity: Activity | None) -> bool:
    """Who plans activities, and the people responsible for this one."""
    return role_can(actor.role, ACTIVITIES_MANAGE) or (
        activity is not None and any(person.id == actor.id for person in activity.organisers)
    )


def require_run(actor: User, activity: Activity | None) -> None:
    if not may_run(actor, activity):
        raise NotAllowed(_("只有活动负责人、主管、经理和总监可以办理这项活动。"))


def save_activity(
    actor: User, activity: Activity | None, values: dict, organiser_ids: list[int], now: datetime
) -> Activity:
    """A new activity (by who plans them) or a change to one; the capacity cannot fall below the
    seats already taken."""
    if activity is None:
        if not role_can(actor.role, ACTIVITIES_MANAGE):
            raise NotAllowed(_("只有主管、经理和总监可以安排活动。"))
        activity = Activity(created_by_id=actor.id, created_at=now)
        db.session.add(activity)
    else:
        require_run(actor, activity)
        taken = seats_taken(activity)
        if values["capacity"] < taken:
            raise Invalid(_("已有 %(n)s 人确认参加，名额不能少于这个数。", n=taken))
    for name, value in values.items():
        setattr(activity, name, value)
    activity.organisers = db.session.scalars(sa.select(User).where(User.id.in_(organiser_ids))).all()
    db.session.flush()
    record_audit("activities.saved", target_type="activity", target_id=activity.id, actor=actor, now=now)
    db.session.commit()
    return activity


def seats_taken(activity: Activity) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Invitation.id)).where(
            Invitation.activity_id == activity.id,
            Invitation.status == Status.ACCEPTED,
            Invitation.walk_in.is_(False),
        )
    )


def attendance(activity: Activity, now: datetime) -> rules.Attendance:
    """Counted in SQL: by answer, who came, who came without an invitation."""
    counts = dict(
        db.session.execute(
            sa.select(Invitation.status, sa.func.count())
            .where(Invitation.activity_id == activity.id, Invitation.walk_in.is_(False))
            .group_by(Invitation.status)
        ).all()
    )
    attended, walk_ins = db.session.execute(
        sa.select(
            sa.func.count(Invitation.id).filter(Invitation.walk_in.is_(False)),
            sa.func.count(Invitation.id).filter(Invitation.walk_in.is_(True)),
        ).where(Invitation.activity_id == activity.id, Invitation.checked_in_at.is_not(None))
    ).one()
    waiting = counts.get(Status.INVITED, 0)
    return rules.Attendance(
        invited=sum(counts.values()),
        accepted=counts.get(Status.ACCEPTED, 0),
        declined=counts.get(Status.DECLINED, 0),
        waitlisted=counts.get(Status.WAITLISTED, 0),
        no_answer=waiting if now >= activity.starts_at else 0,
        attended=attended,
        walk_ins=walk_ins,
    )


def costs(activity: Activity) -> rules.Costs:
    spent = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(ActivityCost.amount), 0)).where(
            ActivityCost.activity_id == activity.id
        )
    )
    return rules.Costs(budget=Decimal(activity.budget or 0), spent=Decimal(spent))


def add_cost(actor: User, activity: Activity, item: str, amount: Decimal, now: datetime) -> ActivityCost:
    require_run(actor, activity)
    cost = ActivityCost(
        activity_id=activity.id, item=item, amount=amount, recorded_by_id=actor.id, recorded_at=now
    )
    db.session.add(cost)
    db.session.flush()
    record_audit(
        "activities.cost_added",
        target_type="activity",
        target_id=activity.id,
        actor=actor,
        now=now,
        detail=f"{item[:60]} {amount}",
    )
    db.session.commit()
    return cost


# --- at the door ---------------------------------------------------------------------------------


def issue_pass(invitation: Invitation) -> None:
    if invitation.pass_code is None:
        invitation.pass_code = new_pass_code(PASS_LENGTH)


def _admit(actor: User, invitation: Invitation, now: datetime) -> None:
    """In: recorded, and the attendance on the client's timeline (through the archive's one way of
    recording a touch)."""
    invitation.checked_in_at = now
    activity = invitation.activity
    record_audit(
        "activities.checked_in",
        target_type="activity",
        target_id=activity.id,
        actor=actor,
        now=now,
        detail=invitation.name,
    )
    if invitation.client is not None:
        timeline.record_interaction(
            actor,
            invitation.client,
            {
                "kind": "activity",
                "channel": "visit",
                "contact_id": invitation.contact_id,
                "occurred_at": now,
                "content": _("参加活动：%(title)s（%(name)s）", title=activity.title, name=invitation.name),
            },
            now,
        )
    db.session.commit()


def check_in(actor: User, invitation: Invitation, now: datetime) -> Invitation:
    """By name at the door: only who accepted, on the activity's day, once."""
    require_run(actor, invitation.activity)
    _refuse_unless_admissible(actor, invitation, now)
    _admit(actor, invitation, now)
    return invitation


def check_in_by_pass(actor: User, activity: Activity, code: str, now: datetime) -> Invitation:
    """By the pass (typed or scanned) at the door of this activity: another's pass is no pass."""
    require_run(actor, activity)
    invitation = _by_pass(typed_code(code))
    if invitation is not None and invitation.activity_id != activity.id:
        invitation = None
    _refuse_unless_admissible(actor, invitation, now)
    _admit(actor, invitation, now)
    return invitation


def _by_pass(code: str) -> Invitation | None:
    if len(code) != PASS_LENGTH:
        return None
    return db.session.scalar(sa.select(Invitation).where(Invitation.pass_code == code))


def _refuse_unless_admissible(actor: User, invitation: Invitation | None, now: datetime) -> None:
    refusal = pass_rules.pass_refusal(
        found=invitation is not None and invitation.pass_code is not None,
        voided=bool(invitation and invitation.status != Status.ACCEPTED),
        used=bool(invitation and invitation.checked_in_at),
        visit_day=invitation.activity.starts_at.astimezone(local_zone()).date() if invitation else None,
        today=now.astimezone(local_zone()).date(),
    )
    if refusal:
        record_audit(
            "reception.refused",
            target_type="pass",
            target_id=(invitation.pass_code if invitation else None) or "-",
            actor=actor,
            now=now,
            detail=str(refusal),
        )
        db.session.commit()
        raise Invalid(str(PASS_REFUSALS[refusal]))


def admit_at_desk(actor: User, code: str, now: datetime) -> str | None:
    """The front desk's check-in for an activity's pass: what to tell the desk, or None when the
    code is not an activity's (a visit's pass, or nothing at all)."""
    invitation = _by_pass(code)
    if invitation is None:
        return None
    _refuse_unless_admissible(actor, invitation, now)
    _admit(actor, invitation, now)
    return _(
        "%(name)s 已签到：%(title)s（%(place)s）。",
        name=invitation.name,
        title=invitation.activity.title,
        place=invitation.activity.place,
    )


def walk_in(actor: User, activity: Activity, name: str, client: Client | None, now: datetime) -> Invitation:
    """Someone who came without an invitation (of a known client, or just a name): in at once,
    and on the client's timeline (as its contact of that name, if it has one)."""
    require_run(actor, activity)
    contact = next((c for c in client.contacts if c.name == name), None) if client else None
    if contact is not None and db.session.scalar(
        sa.select(Invitation.id).where(
            Invitation.activity_id == activity.id, Invitation.contact_id == contact.id
        )
    ):
        raise Conflict(_("%(name)s 已在邀请名单上：请按通行证或名单签到。", name=contact.name))
    invitation = Invitation(
        activity=activity,
        client=client,
        contact=contact,
        name=name[:50],
        status=Status.ACCEPTED,
        walk_in=True,
        invited_by_id=actor.id,
        created_at=now,
    )
    db.session.add(invitation)
    _admit(actor, invitation, now)
    return invitation


# --- trials --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrialResult:
    product: str
    trials: int  # activities of the product
    participants: int  # who received the product
    answered: int  # who gave feedback
    mean_rating: float | None
    interested: int


def trial_results() -> list[TrialResult]:
    """Per product, over every trial of it: who received it, who answered, how they rated it."""
    rows = db.session.execute(
        sa.select(
            Activity.product,
            sa.func.count(sa.distinct(Activity.id)),
            sa.func.count(Invitation.product_sent_at),
            sa.func.count(Invitation.feedback_at),
            sa.func.avg(Invitation.rating),
            sa.func.count(Invitation.id).filter(Invitation.interested.is_(True)),
        )
        .select_from(Activity)
        .outerjoin(Invitation, Invitation.activity_id == Activity.id)
        .where(Activity.kind == rules.Kind.TRIAL)
        .group_by(Activity.product)
        .order_by(Activity.product)
    ).all()
    return [
        TrialResult(
            product, trials, sent, answered, round(float(mean), 2) if mean is not None else None, keen
        )
        for product, trials, sent, answered, mean, keen in rows
    ]


def trial_comments(product: str, limit: int = 200) -> list[Invitation]:
    return db.session.scalars(
        sa.select(Invitation)
        .join(Activity, Activity.id == Invitation.activity_id)
        .where(
            Activity.kind == rules.Kind.TRIAL,
            Activity.product == product,
            Invitation.feedback_at.is_not(None),
        )
        .order_by(Invitation.feedback_at.desc())
        .limit(limit)
    ).all()
