"""Callbacks: made by the rules table when an event is recorded (put right when it is corrected or
voided), by an interaction's next follow-up date, by campaigns; listed for the people who call;
made, retried, rescheduled, handed to someone else."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from crmweb.auth.audit import record_audit
from crmweb.auth.models import User
from crmweb.auth.permissions import CALLBACKS_RULES, CALLBACKS_TEAM, role_can
from crmweb.callbacks import labels, rules
from crmweb.callbacks import signals as callback_signals
from crmweb.callbacks.models import Callback, CallbackRule
from crmweb.callbacks.rules import ContentType, Outcome, Source, Status, Timing
from crmweb.clients import signals, timeline
from crmweb.clients.models import Client, Interaction, ServiceEvent
from crmweb.clients.today import overdue_by_owner
from crmweb.database import table_with_defaults
from crmweb.errors import Conflict, Invalid, NotAllowed, NotFound
from crmweb.extensions import db
from crmweb.settings import get_setting
from crmweb.timeutil import local_zone
from crmweb.workdays import is_working_day

# --- the rules table -------------------------------------------------------------------------


def rules_in_force(now: datetime) -> list[CallbackRule]:
    """The rules table; the first time it is asked for, the company's plan is written into it."""
    return table_with_defaults(sa.select(CallbackRule).order_by(CallbackRule.id), lambda: [
        CallbackRule(event_kind=spec.event_kind, starts_after=spec.starts_after, ends_after=spec.ends_after,
                     unit=spec.unit, content_type=spec.content_type, purpose=spec.purpose, updated_at=now)
        for spec in rules.DEFAULT_RULES])


def spec_of(rule: CallbackRule) -> rules.RuleSpec:
    return rules.RuleSpec(rule.event_kind, rule.starts_after, rule.ends_after, rule.unit, rule.content_type,
                          rule.purpose)


def save_rule(actor: User, rule: CallbackRule | None, values: dict, now: datetime) -> CallbackRule:
    """A line of the table added or changed (switched off rather than deleted)."""
    if not role_can(actor.role, CALLBACKS_RULES):
        raise NotAllowed(_("只有经理和总监可以修改回访规则。"))
    if values["ends_after"] < values["starts_after"]:
        raise Invalid(_("窗口的结束不能早于开始。"))
    same = sa.select(CallbackRule.id).where(*(getattr(CallbackRule, name) == values[name] for name in
                                              ("event_kind", "starts_after", "ends_after", "unit")))
    if db.session.scalar(same.where(CallbackRule.id != (rule.id if rule else None))) is not None:
        raise Invalid(_("已有一条同一事件、同一时间的规则。"))
    rule = rule or CallbackRule()
    for name, value in values.items():
        setattr(rule, name, value)
    rule.updated_at = now
    db.session.add(rule)
    db.session.flush()
    record_audit("callbacks.rule_saved", target_type="callback_rule", target_id=rule.id, actor=actor, now=now,
                 detail=f"{rule.event_kind} {rule.starts_after}-{rule.ends_after} {rule.unit} "
                        f"active={rule.active}")
    db.session.commit()
    return rule


# --- made by events and follow-ups ------------------------------------------------------------


def local_day(moment: datetime) -> date:
    return moment.astimezone(local_zone()).date()


@signals.event_changed.connect
def call_back_after(event: ServiceEvent, client: Client, now: datetime, **_ignored) -> None:
    """The callbacks an event calls for, as the event now stands: made once per rule, re-dated
    when the event's date is corrected, cancelled (if not yet made) when it is voided or its kind
    changes. A window that had closed before the event was recorded is not made (an old sale
    typed in today asks for no seven-day call)."""
    wanted = {} if event.voided else {rule.id: rule for rule in rules_in_force(now)
                                      if rule.active and rule.event_kind == event.kind}
    existing = {callback.rule_id: callback for callback in db.session.scalars(
        sa.select(Callback).where(Callback.event_id == event.id))}
    for rule_id, callback in existing.items():
        if callback.status == Status.OPEN and rule_id not in wanted:
            callback.status = Status.CANCELLED
    today = local_day(now)
    for rule in wanted.values():
        window = rules.window_after(local_day(event.occurred_at), spec_of(rule), is_working_day)
        callback = existing.get(rule.id)
        if callback is None:
            if window.closes_on < today:
                continue
            db.session.add(Callback(
                client_id=client.id, contact_id=client.contacts[0].id if client.contacts else None,
                source=Source.EVENT, event_id=event.id, rule_id=rule.id, purpose=rule.purpose,
                content_type=rule.content_type, opens_on=window.opens_on, closes_on=window.closes_on,
                assignee_id=rule.assignee_id or client.owner_id, created_at=now))
        elif callback.status in (Status.OPEN, Status.CANCELLED):
            callback.status = Status.OPEN
            callback.opens_on, callback.closes_on = window.opens_on, window.closes_on


@signals.interaction_recorded.connect
def follow_up(interaction: Interaction, client: Client, actor: User, now: datetime, **_ignored) -> None:
    """The next touch settles the follow-ups asked for before it; a next follow-up date asks for
    one, on the owner's list (the one who wrote it down when the client has no owner)."""
    settled = db.session.scalars(sa.select(Callback).where(
        Callback.client_id == client.id, Callback.source == Source.FOLLOW_UP, Callback.status == Status.OPEN,
        Callback.asked_in_id != interaction.id)).all()
    for callback in settled:
        callback.status, callback.done_at, callback.result_id = Status.DONE, now, interaction.id
        callback.done_by_id = getattr(actor, "id", None)
    if interaction.next_follow_up and not interaction.voided:
        day = rules.next_working_day(interaction.next_follow_up, is_working_day)
        db.session.add(Callback(
            client_id=client.id, contact_id=interaction.contact_id, source=Source.FOLLOW_UP,
            asked_in_id=interaction.id, purpose=_("跟进：%(what)s", what=interaction.content[:60]),
            content_type=ContentType.RAPPORT, opens_on=day, closes_on=day,
            assignee_id=client.owner_id or getattr(actor, "id", None), created_at=now))


def add_call(actor: User, client: Client, purpose: str, day: date, now: datetime) -> Callback:
    """A call asked for by hand or by another area (a client at risk, a trial's feedback): for the
    owner, from `day` (or the next working day) for two working days, settled like a follow-up by
    the next touch. In the caller's transaction."""
    day = rules.next_working_day(day, is_working_day)
    callback = Callback(client_id=client.id, source=Source.FOLLOW_UP, purpose=purpose[:200],
                        content_type=ContentType.RAPPORT, opens_on=day,
                        closes_on=rules.next_working_day(day + timedelta(days=1), is_working_day),
                        assignee_id=client.owner_id or actor.id, created_at=now)
    db.session.add(callback)
    db.session.flush()
    record_audit("callbacks.scheduled", target_type="client", target_id=client.id, actor=actor, now=now,
                 detail=f"callback={callback.id}")
    return callback


def schedule_call(actor: User, client: Client, purpose: str, now: datetime) -> Callback:
    """A call for the owner, today or the next working day."""
    callback = add_call(actor, client, purpose, local_day(now), now)
    db.session.commit()
    return callback


# --- lists ------------------------------------------------------------------------------------


@dataclass
class Row:
    callback: Callback
    timing: Timing


def rows(callbacks: list[Callback], today: date) -> list[Row]:
    return [Row(callback, rules.timing(callback.opens_on, callback.closes_on, today))
            for callback in callbacks]


def open_callbacks(assignee_id: int | None, today: date, horizon: date, everyone: bool = False,
                   limit: int = 500) -> list[Callback]:
    """Open callbacks whose window opens by `horizon`, the most overdue first."""
    query = (sa.select(Callback).where(Callback.status == Status.OPEN, Callback.opens_on <= horizon)
             .options(selectinload(Callback.client), selectinload(Callback.assignee))
             .order_by(Callback.closes_on, Callback.opens_on, Callback.id).limit(limit))
    if not everyone:
        query = query.where(Callback.assignee_id == assignee_id)
    return db.session.scalars(query).all()


def recently_done(assignee_id: int, limit: int = 20) -> list[Callback]:
    return db.session.scalars(
        sa.select(Callback).where(Callback.done_by_id == assignee_id,
                                  Callback.status.in_((Status.DONE, Status.UNREACHED)))
        .options(selectinload(Callback.client)).order_by(Callback.done_at.desc()).limit(limit)).all()


@dataclass
class Behind:
    """One person's late work, for supervisors."""
    person: User | None
    overdue: int = 0          # callbacks past their window
    due: int = 0              # callbacks due today
    out_of_touch: int = 0     # their clients past the stay-in-touch rhythm


def overdue_by_person(now: datetime) -> list[Behind]:
    """Per person: callbacks overdue and due today, and their clients overdue for contact."""
    today = local_day(now)
    calls = db.session.execute(
        sa.select(Callback.assignee_id,
                  sa.func.count().filter(Callback.closes_on < today),
                  sa.func.count().filter(Callback.closes_on >= today, Callback.opens_on <= today))
        .where(Callback.status == Status.OPEN).group_by(Callback.assignee_id)).all()
    late_clients = overdue_by_owner(now).items()
    rows: dict[int | None, Behind] = {}
    for person, overdue, due in calls:
        rows.setdefault(person, Behind(None)).overdue, rows[person].due = overdue, due
    for person, count in late_clients:
        rows.setdefault(person, Behind(None)).out_of_touch = count
    people = {user.id: user for user in db.session.scalars(
        sa.select(User).where(User.id.in_([person for person in rows if person])))}
    for person, row in rows.items():
        row.person = people.get(person)
    return sorted((row for row in rows.values() if row.overdue or row.due or row.out_of_touch),
                  key=lambda row: (-row.overdue, -row.out_of_touch, -row.due))


# --- making a call ----------------------------------------------------------------------------


def get_callback(callback_id: int) -> Callback:
    callback = db.session.get(Callback, callback_id)
    if callback is None:
        raise NotFound(_("找不到该回访。"))
    return callback


def may_work_on(actor: User, callback: Callback) -> bool:
    return callback.assignee_id == actor.id or role_can(actor.role, CALLBACKS_TEAM)


def _require_open(actor: User, callback: Callback) -> None:
    if not may_work_on(actor, callback):
        raise NotAllowed(_("这条回访分配给了别人。"))
    if callback.status != Status.OPEN:
        raise Conflict(_("这条回访已经处理过了。"))


@dataclass
class Result:
    outcome: str
    satisfaction: int | None = None
    needs: str = ""
    notes: str = ""
    follow_up_on: date | None = None
    call_at: datetime | None = None   # the client asked to be called then (aware, local)


def service_card(callback: Callback, result: Result) -> str:
    """The 用户跟踪服务卡 entry the call leaves on the client's timeline."""
    parts = [_("用户跟踪服务卡 · 回访（%(kind)s）：%(purpose)s",
               kind=labels.CONTENT_TYPES[callback.content_type], purpose=callback.purpose)]
    if result.satisfaction:
        parts.append(_("满意度 %(score)s/5", score=result.satisfaction))
    if result.needs.strip():
        parts.append(_("需求：%(needs)s", needs=result.needs.strip()))
    if result.notes.strip():
        parts.append(_("记录：%(notes)s", notes=result.notes.strip()))
    return "；".join(parts)


def record_result(actor: User, callback: Callback, result: Result, now: datetime) -> Callback:
    """Reached: done, and on the timeline (which resets stay-in-touch). No answer: tried again
    on the next working day until the tries are used up. Call back: at the time the client
    asked for."""
    _require_open(actor, callback)
    today = local_day(now)
    callback.outcome = result.outcome
    if result.outcome == Outcome.CALL_BACK:
        if result.call_at is None or result.call_at < now:
            raise Invalid(_("请填写客户约定的回访时间（不早于现在）。"))
        day = local_day(result.call_at)
        callback.call_at = result.call_at
        callback.opens_on, callback.closes_on = day, max(day, callback.closes_on)
        _audit(actor, callback, now, "call_back")
        db.session.commit()
        return callback
    if result.outcome == Outcome.REACHED and callback.source == Source.CASE and not result.satisfaction:
        raise Invalid(_("这是工单的确认回访：请记录客户对处理结果的满意度。"))
    callback.tries += 1
    if result.outcome == Outcome.NO_ANSWER:
        again = rules.next_try_on(today, callback.tries, get_setting("callbacks.max_tries"), is_working_day)
        if again is None:
            callback.status, callback.done_at, callback.done_by_id = Status.UNREACHED, now, actor.id
        else:
            callback.opens_on, callback.closes_on = again, max(again, callback.closes_on)
        _audit(actor, callback, now, "no_answer")
        db.session.commit()
        return callback
    callback.status, callback.done_at, callback.done_by_id = Status.DONE, now, actor.id
    _audit(actor, callback, now, "reached")
    # The timeline's commit writes the callback's state with the entry, or neither.
    entry = timeline.record_interaction(actor, callback.client, {
        "kind": "callback", "channel": "phone", "occurred_at": now, "contact_id": callback.contact_id,
        "content": service_card(callback, result), "satisfaction": result.satisfaction,
        "next_follow_up": result.follow_up_on}, now)
    callback.result_id = entry.id
    callback_signals.callback_reached.send(callback, actor=actor, satisfaction=result.satisfaction, now=now)
    db.session.commit()
    return callback


def _audit(actor: User, callback: Callback, now: datetime, what: str) -> None:
    record_audit("callbacks.recorded", target_type="client", target_id=callback.client_id, actor=actor,
                 now=now, detail=f"callback={callback.id} {what} tries={callback.tries}")


def reschedule(actor: User, callback: Callback, day: date, reason: str, now: datetime) -> None:
    _require_open(actor, callback)
    if not reason.strip():
        raise Invalid(_("改期须说明理由。"))
    if day < local_day(now):
        raise Invalid(_("不能改到过去的日期。"))
    day = rules.next_working_day(day, is_working_day)
    callback.opens_on, callback.closes_on = day, max(day, callback.closes_on)
    callback.rescheduled_because = reason.strip()[:200]
    record_audit("callbacks.rescheduled", target_type="client", target_id=callback.client_id, actor=actor,
                 now=now, detail=f"callback={callback.id} to={day.isoformat()} reason={reason[:80]}")
    db.session.commit()


def reassign(actor: User, callback: Callback, assignee: User, now: datetime) -> None:
    if not role_can(actor.role, CALLBACKS_TEAM):
        raise NotAllowed(_("只有主管、经理和总监可以分配回访。"))
    if callback.status != Status.OPEN:
        raise Conflict(_("这条回访已经处理过了。"))
    callback.assignee_id = assignee.id
    record_audit("callbacks.reassigned", target_type="client", target_id=callback.client_id, actor=actor,
                 now=now, detail=f"callback={callback.id} to={assignee.id}")
    db.session.commit()
