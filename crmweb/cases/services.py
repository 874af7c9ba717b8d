"""Service cases: opened from anywhere a problem is heard of, worked with deadlines in working time,
escalated when a deadline passes, resolved, and closed only when the client confirms it in a
callback (a dissatisfied answer reopens it)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from crmweb.auth.audit import record_audit
from crmweb.auth.models import User
from crmweb.auth.permissions import CASES_OPEN, CASES_TEAM, CASES_VIEW, role_can
from crmweb.callbacks import rules as callback_rules
from crmweb.callbacks import signals as callback_signals
from crmweb.callbacks.models import Callback
from crmweb.cases import labels, rules
from crmweb.cases.models import Case, CaseDeadline, CaseEntry
from crmweb.cases.rules import Clock, Kind, Status
from crmweb.clients import timeline
from crmweb.clients.models import Client, ServiceEvent
from crmweb.dashboard.notices import notify
from crmweb.database import table_with_defaults
from crmweb.errors import Conflict, Invalid, NotAllowed, NotFound
from crmweb.extensions import db
from crmweb.ids import MAX_ID
from crmweb.messages import labels as message_labels
from crmweb.messages import outbox, sending
from crmweb.messages.models import MessageTemplate
from crmweb.settings import get_setting
from crmweb.timeutil import local_zone, utcnow
from crmweb.workdays import is_working_day

# Complaints and proposals are also events on the client's timeline (and call for their callbacks).
TIMELINE_EVENTS = {Kind.COMPLAINT: "complaint", Kind.PROPOSAL: "proposal"}


def working_hours() -> tuple[rules.Span, ...]:
    return rules.parse_hours(get_setting("cases.working_hours"))


def _clock_args():
    return working_hours(), is_working_day, local_zone()


# --- the deadline table -----------------------------------------------------------------------


DEADLINE_COLUMNS = (
    "kind",
    "severity",
    "tier",
    "response_amount",
    "response_unit",
    "resolution_amount",
    "resolution_unit",
)


def deadline_table(now: datetime) -> list[CaseDeadline]:
    """The table; the first time it is asked for, the company's defaults are written into it."""
    return table_with_defaults(
        sa.select(CaseDeadline).order_by(CaseDeadline.kind, CaseDeadline.id),
        lambda: [
            CaseDeadline(**dict(zip(DEADLINE_COLUMNS, line, strict=True)), updated_at=now)
            for line in rules.DEFAULT_DEADLINES
        ],
    )


def limits_for(kind: str, severity: str, tier: str, now: datetime) -> tuple[int, int]:
    """The first-response and resolution limits in working minutes for such a case."""
    hours = working_hours()
    rows = [
        rules.DeadlineRow(
            row.kind,
            row.severity,
            row.tier,
            rules.limit_minutes(row.response_amount, row.response_unit, hours),
            rules.limit_minutes(row.resolution_amount, row.resolution_unit, hours),
        )
        for row in deadline_table(now)
    ]
    row = rules.deadline_for(rows, kind, severity, tier)
    if row is None:
        raise Invalid(_("期限表里没有这一类工单的期限，请经理先补上。"))
    return row.response, row.resolution


def save_deadline(actor: User, row: CaseDeadline | None, values: dict, now: datetime) -> CaseDeadline:
    same = sa.select(CaseDeadline.id).where(
        CaseDeadline.kind == values["kind"],
        CaseDeadline.severity == values["severity"],
        CaseDeadline.tier == values["tier"],
    )
    if db.session.scalar(same.where(CaseDeadline.id != (row.id if row else None))) is not None:
        raise Invalid(_("这一类、这一级别、这一等级的期限已经有了，请修改那一行。"))
    row = row or CaseDeadline()
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_at = now
    db.session.add(row)
    db.session.flush()
    record_audit(
        "cases.deadline_saved",
        target_type="case_deadline",
        target_id=row.id,
        actor=actor,
        now=now,
        detail=f"{row.kind} {row.severity or '*'} {row.tier or '*'}",
    )
    db.session.commit()
    return row


# --- opening ----------------------------------------------------------------------------------


def _entry(case: Case, kind: str, actor, now: datetime, text: str = "") -> None:
    case.entries.append(CaseEntry(kind=kind, text=text[:2000], actor_id=getattr(actor, "id", None), at=now))


def _set_deadlines(case: Case) -> None:
    """Both deadlines from the clock as it stands (none while it waits for the client)."""
    if case.paused_since is not None:
        case.response_due_at = case.resolution_due_at = None
        return
    clock = Clock(case.opened_at, case.paused_minutes)
    case.response_due_at = rules.due_at(clock, case.response_limit, *_clock_args())
    case.resolution_due_at = rules.due_at(clock, case.resolution_limit, *_clock_args())


def open_case(
    actor: User, client: Client, values: dict, now: datetime, found_in: Callback | None = None
) -> Case:
    """A complaint, repair request, question or proposal with its deadlines from the table; a
    complaint or proposal also lands on the client's timeline as its event."""
    if not role_can(actor.role, CASES_OPEN):
        raise NotAllowed(_("您不能登记服务工单。"))
    if values["kind"] == Kind.COMPLAINT and not values.get("cause"):
        raise Invalid(_("投诉请选择原因。"))
    if values.get("contact_id") and values["contact_id"] not in {contact.id for contact in client.contacts}:
        raise Invalid(_("联系人不属于该客户。"))
    response, resolution = limits_for(values["kind"], values["severity"], client.tier, now)
    owner_id = client.owner_id if client.owner_id and _may_view(client.owner) else None
    case = Case(
        client_id=client.id,
        opened_at=now,
        updated_at=now,
        response_limit=response,
        resolution_limit=resolution,
        paused_minutes=0,
        escalation_level=0,
        owner_id=owner_id,
        opened_by_id=actor.id,
        found_in_callback_id=found_in.id if found_in else None,
        status=Status.OPEN,
        cause=values.get("cause") if values["kind"] == Kind.COMPLAINT else None,
        **{
            name: values.get(name) or default
            for name, default in (
                ("kind", None),
                ("channel", "phone"),
                ("severity", rules.Severity.NORMAL),
                ("contact_id", None),
                ("product", ""),
                ("description", ""),
            )
        },
    )
    _set_deadlines(case)
    _entry(case, "opened", actor, now, case.description)
    db.session.add(case)
    db.session.flush()
    record_audit(
        "cases.opened",
        target_type="client",
        target_id=client.id,
        actor=actor,
        now=now,
        detail=f"case={case.id} {case.kind}",
    )
    if case.kind in TIMELINE_EVENTS:
        event = timeline.record_event(
            actor,
            client,
            {
                "kind": TIMELINE_EVENTS[case.kind],
                "occurred_at": now,
                "product": case.product or None,
                "notes": _("工单 #%(id)s：%(text)s", id=case.id, text=case.description[:200]),
            },
            now,
        )
        case.event_id = event.id
    db.session.commit()
    return case


def _may_view(user: User | None) -> bool:
    return user is not None and user.active and role_can(user.role, CASES_VIEW)


# --- working a case ---------------------------------------------------------------------------


def get_case(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None:
        raise NotFound(_("找不到该工单。"))
    return case


def may_work(actor: User, case: Case) -> bool:
    return case.owner_id == actor.id or role_can(actor.role, CASES_TEAM)


def _require_work(actor: User, case: Case) -> None:
    if not may_work(actor, case):
        raise NotAllowed(_("这个工单由别人负责。"))
    if case.status == Status.CLOSED:
        raise Conflict(_("工单已经关闭。"))


def assign(actor: User, case: Case, owner: User, now: datetime) -> None:
    if not role_can(actor.role, CASES_TEAM):
        raise NotAllowed(_("只有主管、经理和总监可以分派工单。"))
    if not _may_view(owner):
        raise Invalid(_("该人员不能处理工单。"))
    case.owner_id, case.updated_at = owner.id, now
    _entry(case, "assigned", actor, now, owner.display_name)
    notify(
        owner.id,
        _("工单 #%(id)s 交给您处理：%(client)s", id=case.id, client=case.client.name),
        f"/cases/{case.id}",
        now,
    )
    record_audit(
        "cases.assigned",
        target_type="client",
        target_id=case.client_id,
        actor=actor,
        now=now,
        detail=f"case={case.id} to={owner.id}",
    )
    db.session.commit()


def add_note(actor: User, case: Case, text: str, to_client: bool, channel: str, now: datetime) -> str | None:
    """An internal note, or a message to the client (on the client's timeline; the first one is the
    case's first response). By SMS or email it goes to the case's contact through the outbox,
    like every message (opt-outs, quiet hours, the daily cap); returns why it could not, if so."""
    _require_work(actor, case)
    if not text.strip():
        raise Invalid(_("请填写内容。"))
    if to_client:
        _responded(case, now)
        _entry(case, "message", actor, now, text.strip())
        case.updated_at = now
        messages, not_sent = _send_to_contact(case, channel, text.strip(), now)
        timeline.record_interaction(
            actor,
            case.client,
            {
                "kind": "communication",
                "channel": channel,
                "occurred_at": now,
                "contact_id": case.contact_id,
                "content": _("工单 #%(id)s 回复客户：%(text)s", id=case.id, text=text.strip()[:1800]),
            },
            now,
        )
        outbox.hand_over(messages)
        return not_sent
    _entry(case, "note", actor, now, text.strip())
    case.updated_at = now
    db.session.commit()
    return None


def _send_to_contact(case: Case, channel: str, text: str, now: datetime) -> tuple[list[int], str | None]:
    if channel not in ("sms", "email"):
        return [], None  # by phone, by letter, in person: recorded only
    if case.contact is None:
        return [], _("工单没有指定联系人，消息未发出，只记入了时间线")
    message = MessageTemplate(
        channel=channel,
        subject=_("关于您的工单 #%(id)s", id=case.id),
        body=text,
        provider_template="",
        provider_params="",
    )
    ids, exclusion = sending.message_to(
        message, case.contact, f"case:{case.id}:reply:{len(case.entries)}", now
    )
    return ids, str(message_labels.EXCLUSIONS[exclusion]) if exclusion else None


def _responded(case: Case, now: datetime) -> None:
    """The first word to the client (a message, or the resolution itself) is the first response;
    a late one is recorded as the breach it is, whether or not the pass saw it first."""
    if case.first_response_at is None:
        case.first_response_at = now
        if rules.breached(case.response_due_at, now, False, now) and case.response_breached_at is None:
            case.response_breached_at = case.response_due_at


def wait_for_client(actor: User, case: Case, now: datetime) -> None:
    _require_work(actor, case)
    if case.status != Status.OPEN:
        raise Conflict(_("只有处理中的工单可以等待客户。"))
    case.status, case.paused_since, case.updated_at = Status.WAITING, now, now
    _set_deadlines(case)
    _entry(case, "waiting", actor, now)
    db.session.commit()


def client_replied(actor: User, case: Case, now: datetime) -> None:
    """The clock runs again; the working time spent waiting moves both deadlines back."""
    _require_work(actor, case)
    if case.status != Status.WAITING:
        raise Conflict(_("这个工单没有在等待客户。"))
    clock = rules.paused_again(
        Clock(case.opened_at, case.paused_minutes, case.paused_since), now, *_clock_args()
    )
    case.paused_minutes, case.paused_since = clock.paused_minutes, None
    case.status, case.updated_at = Status.OPEN, now
    _set_deadlines(case)
    _entry(case, "resumed", actor, now)
    db.session.commit()


def escalate(actor, case: Case, reason: str, now: datetime) -> None:
    """One level up (the owner → supervisors → managers), by hand with a reason or by the pass."""
    if not reason.strip():
        raise Invalid(_("升级须说明理由。"))
    if case.status == Status.CLOSED:
        raise Conflict(_("工单已经关闭。"))
    messages = _escalate(actor, case, reason.strip(), now)
    db.session.commit()
    outbox.hand_over(messages)


def _escalate(actor, case: Case, reason: str, now: datetime) -> list[int]:
    """The case one level up, everyone at that level told; returns the outbox messages to hand
    over once the caller has committed."""
    case.escalation_level = rules.escalation_level(case.escalation_level)
    case.updated_at = now
    _entry(case, "escalated", actor, now, reason)
    role = "supervisor" if case.escalation_level == 1 else "manager"
    text = _(
        "工单 #%(id)s 已升级：%(client)s（%(reason)s）", id=case.id, client=case.client.name, reason=reason
    )
    messages = []
    for person in db.session.scalars(sa.select(User).where(User.role == role, User.active.is_(True))):
        notify(person.id, text, f"/cases/{case.id}", now)
        # And by SMS and email where the person gave them (once per case, level and person).
        messages += outbox.for_person(
            person, text, case.client_id, f"case:{case.id}:{case.escalation_level}:{person.id}", now
        )
    queued = outbox.queue_messages(messages, now)
    record_audit(
        "cases.escalated",
        target_type="client",
        target_id=case.client_id,
        actor=actor,
        now=now,
        detail=f"case={case.id} level={case.escalation_level}",
    )
    return queued


def escalate_due(now: datetime) -> int:
    """One pass: every deadline that has passed (at its instant) on a case still open is recorded as
    breached and escalates the case one level. Running it twice escalates nothing twice."""
    escalated, messages = 0, []
    late = db.session.scalars(
        sa.select(Case)
        .where(
            Case.status == Status.OPEN,
            sa.or_(
                sa.and_(
                    Case.first_response_at.is_(None),
                    Case.response_breached_at.is_(None),
                    Case.response_due_at <= now,
                ),
                sa.and_(Case.resolution_breached_at.is_(None), Case.resolution_due_at <= now),
            ),
        )
        .options(selectinload(Case.client))
        .order_by(Case.id)
    ).all()
    for case in late:
        for deadline, due, done, breached_at in (
            (rules.Deadline.RESPONSE, case.response_due_at, case.first_response_at, "response_breached_at"),
            (rules.Deadline.RESOLUTION, case.resolution_due_at, case.resolved_at, "resolution_breached_at"),
        ):
            if done is None and getattr(case, breached_at) is None and rules.breached(due, None, False, now):
                setattr(case, breached_at, due)
                messages += _escalate(None, case, str(labels.BREACHES[deadline]), now)
                escalated += 1
    db.session.commit()
    outbox.hand_over(messages)
    return escalated


def escalate_now() -> int:
    """The periodic job (flask cron): one pass at the present moment."""
    return escalate_due(utcnow())


# --- resolving and the client's confirmation --------------------------------------------------


def resolve(actor: User, case: Case, resolution: str, now: datetime) -> Callback:
    """Resolved, and a confirmation callback for the same working day (or the next): only the
    client's answer closes the case."""
    _require_work(actor, case)
    if case.status not in (Status.OPEN, Status.WAITING):
        raise Conflict(_("工单已经处理过了。"))
    if not resolution.strip():
        raise Invalid(_("请写明处理结果。"))
    if case.status == Status.WAITING:
        client_replied(actor, case, now)
    _responded(case, now)
    case.status, case.resolution, case.resolved_at, case.updated_at = (
        Status.RESOLVED,
        resolution.strip(),
        now,
        now,
    )
    if rules.breached(case.resolution_due_at, now, False, now) and case.resolution_breached_at is None:
        case.resolution_breached_at = case.resolution_due_at
    today = now.astimezone(local_zone()).date()
    opens = callback_rules.next_working_day(today, is_working_day)
    closes = callback_rules.next_working_day(opens + timedelta(days=1), is_working_day)
    confirmation = Callback(
        client_id=case.client_id,
        contact_id=case.contact_id,
        source=callback_rules.Source.CASE,
        purpose=_("确认工单 #%(id)s 的处理结果", id=case.id),
        content_type=callback_rules.ContentType.EXPLAIN,
        opens_on=opens,
        closes_on=closes,
        assignee_id=case.owner_id or actor.id,
        created_at=now,
    )
    db.session.add(confirmation)
    db.session.flush()
    case.confirmation_callback_id = confirmation.id
    _entry(case, "resolved", actor, now, case.resolution)
    record_audit(
        "cases.resolved",
        target_type="client",
        target_id=case.client_id,
        actor=actor,
        now=now,
        detail=f"case={case.id}",
    )
    db.session.commit()
    return confirmation


@callback_signals.callback_reached.connect
def client_answered(callback: Callback, actor, satisfaction: int | None, now: datetime, **_ignored) -> None:
    """The confirmation callback: settled from the set satisfaction up, closes the case; below it,
    the case opens again for its owner."""
    case = db.session.scalar(sa.select(Case).where(Case.confirmation_callback_id == callback.id))
    if case is None or case.status != Status.RESOLVED or not satisfaction:
        return
    case.satisfaction, case.updated_at = satisfaction, now
    if rules.confirmed(satisfaction, get_setting("cases.confirm_least")):
        case.status, case.closed_at = Status.CLOSED, now
        _entry(case, "closed", actor, now, _("客户确认已解决，满意度 %(score)s", score=satisfaction))
    else:
        case.status, case.resolved_at = Status.OPEN, None
        _entry(case, "reopened", actor, now, _("客户不满意（%(score)s），重新处理", score=satisfaction))
        if case.owner_id:
            notify(
                case.owner_id, _("工单 #%(id)s 客户不满意，已重新打开", id=case.id), f"/cases/{case.id}", now
            )
    record_audit(
        "cases.confirmed",
        target_type="client",
        target_id=case.client_id,
        actor=actor,
        now=now,
        detail=f"case={case.id} satisfaction={satisfaction} status={case.status}",
    )


# --- lists ------------------------------------------------------------------------------------


@dataclass
class Row:
    case: Case
    minutes_left: float | None  # to the next deadline; None while waiting or when done
    breached: bool
    near: bool


def next_due(case: Case):
    if case.status != Status.OPEN:
        return None
    return case.response_due_at if case.first_response_at is None else case.resolution_due_at


def rows_for(cases: list[Case], now: datetime) -> list[Row]:
    warn, args = get_setting("cases.warn_minutes"), _clock_args()
    result = []
    for case in cases:
        due = next_due(case)
        left = rules.minutes_left(due, now, *args) if due else None
        ever = case.response_breached_at is not None or case.resolution_breached_at is not None
        result.append(
            Row(case, left, ever or (left is not None and left <= 0), left is not None and 0 < left <= warn)
        )
    return result


def cases_listed(
    actor: User, everyone: bool, status: str = "", kind: str = "", limit: int = 300
) -> list[Case]:
    query = (
        sa.select(Case)
        .options(selectinload(Case.client), selectinload(Case.owner))
        .order_by(
            Case.status == Status.CLOSED,
            Case.resolution_due_at.is_(None),
            Case.resolution_due_at,
            Case.id.desc(),
        )
        .limit(limit)
    )
    if not everyone:
        query = query.where(Case.owner_id == actor.id)
    if status:
        query = query.where(Case.status == status)
    else:
        query = query.where(Case.status != Status.CLOSED)
    if kind:
        query = query.where(Case.kind == kind)
    return db.session.scalars(query).all()


def repeat_complainers(now: datetime, days: int = 180, least: int = 2) -> list[tuple[Client, int]]:
    """Clients who complained this often lately: the supervisors' watch list."""
    counts = db.session.execute(
        sa.select(Case.client_id, sa.func.count(Case.id))
        .where(Case.kind == Kind.COMPLAINT, Case.opened_at >= now - timedelta(days=days))
        .group_by(Case.client_id)
        .having(sa.func.count(Case.id) >= least)
        .order_by(sa.func.count(Case.id).desc(), Case.client_id)
        .limit(20)
    ).all()
    clients = {
        client.id: client
        for client in db.session.scalars(
            sa.select(Client).where(Client.id.in_([client_id for client_id, _count in counts]))
        )
    }
    return [(clients[client_id], count) for client_id, count in counts]


def open_for_client(client_id: int) -> list[Case]:
    return db.session.scalars(
        sa.select(Case)
        .where(Case.client_id == client_id, Case.status != Status.CLOSED)
        .order_by(Case.id.desc())
    ).all()


def find_client(client_id) -> Client | None:
    return (
        db.session.get(Client, client_id) if isinstance(client_id, int) and 0 < client_id < MAX_ID else None
    )


def case_workers(people: list[User]) -> list[User]:
    """Who a case may be given to: those who may read cases."""
    return [person for person in people if role_can(person.role, CASES_VIEW)]


def related_callbacks(case: Case) -> list[Callback]:
    """The calls about this case: the one that found it, those its event called for (a repair's,
    a complaint's), and the client's confirmation."""
    wanted = [Callback.id.in_([i for i in (case.found_in_callback_id, case.confirmation_callback_id) if i])]
    events = [i for i in (case.event_id, case.repair_event_id) if i]
    if events:
        wanted.append(Callback.event_id.in_(events))
    return db.session.scalars(sa.select(Callback).where(sa.or_(*wanted)).order_by(Callback.id)).all()


def repair_visits(case: Case) -> list[ServiceEvent]:
    """The client's repair events since the case was opened: one of them is the visit it led to."""
    return db.session.scalars(
        sa.select(ServiceEvent)
        .where(
            ServiceEvent.client_id == case.client_id,
            ServiceEvent.kind.in_(("repair", "repair_late")),
            ServiceEvent.voided_at.is_(None),
            ServiceEvent.occurred_at >= case.opened_at - timedelta(days=1),
        )
        .order_by(ServiceEvent.occurred_at.desc())
        .limit(20)
    ).all()


def link_repair(actor: User, case: Case, event_id: int, now: datetime) -> None:
    _require_work(actor, case)
    if event_id not in {event.id for event in repair_visits(case)}:
        raise Invalid(_("请选择该客户在此工单之后的维修记录。"))
    case.repair_event_id, case.updated_at = event_id, now
    _entry(case, "note", actor, now, _("关联维修记录 #%(id)s", id=event_id))
    db.session.commit()
