"""Greetings that run every day by themselves: birthdays (solar or lunar), festivals, the company's
own dates. `run_due(day)` is what the daily job and `flask greetings run-due` run: one message per
rule, contact and day, however often it runs."""
from calendar import isleap
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from crmweb.auth.audit import record_audit
from crmweb.auth.models import User
from crmweb.clients.models import Client, ClientLabel, Contact
from crmweb.clients.rules import birthday_dates
from crmweb.errors import NotFound
from crmweb.extensions import db
from crmweb.messages import outbox, rules, sending
from crmweb.messages.models import GreetingKind, GreetingRule
from crmweb.timeutil import local_zone, utcnow


def all_rules() -> list[GreetingRule]:
    return db.session.scalars(sa.select(GreetingRule).options(selectinload(GreetingRule.template))
                              .order_by(GreetingRule.id)).all()


def active_rules() -> list[GreetingRule]:
    return db.session.scalars(sa.select(GreetingRule).where(GreetingRule.active)
                              .options(selectinload(GreetingRule.template)).order_by(GreetingRule.id)).all()


def is_the_day(rule: GreetingRule, target: date) -> bool:
    """Whether `target` is the rule's day (a birthday rule's day is every day: whose birthday it
    is, the contacts say)."""
    if rule.kind in (GreetingKind.BIRTHDAY, GreetingKind.FOUNDING):
        return True
    if rule.kind == GreetingKind.FESTIVAL:
        return rules.festival_date(rule.festival, target.year) == target
    return (rule.month, rule.day) == (target.month, target.day)


def contacts_for(rule: GreetingRule, target: date) -> list[Contact]:
    """The contacts of the rule's clients that this greeting is for on `target`."""
    query = sa.select(Contact).join(Client).options(selectinload(Contact.client)).order_by(Contact.id)
    if rule.tier_list:
        query = query.where(Client.tier.in_(rule.tier_list))
    if rule.vip_only:
        query = query.where(Client.vip_status == "vip")
    if rule.label_id:
        query = query.where(Client.labels.any(ClientLabel.id == rule.label_id))
    if rule.kind == GreetingKind.FOUNDING:
        days = [target.day]
        if (target.month, target.day) == (2, 28) and not isleap(target.year):
            days.append(29)  # founded on 29 February: remembered on the 28th in other years
        query = query.where(sa.extract("month", Client.founded_on) == target.month,
                            sa.extract("day", Client.founded_on).in_(days))
    if rule.kind == GreetingKind.BIRTHDAY:
        born = [sa.and_(Contact.birthday_calendar == calendar, Contact.birth_month == month,
                        Contact.birth_day == day, Contact.birthday_leap_month == leap)
                for calendar, month, day, leap in birthday_dates(target, 1)]
        query = query.where(sa.or_(*born))
    return db.session.scalars(query).all()


def run_due(day: date, now: datetime) -> int:
    """The greetings of `day` (local) into the outbox, at each rule's hour (or after the quiet
    hours), the left-out ones as skipped with the reason; what is due goes to the workers.
    Returns how many messages were new."""
    zone = local_zone()
    written = []
    for rule in active_rules():
        target = day + timedelta(days=rule.days_before)
        if not is_the_day(rule, target):
            continue
        contacts = contacts_for(rule, target)
        send_at = max(datetime.combine(day, rule.send_time, tzinfo=zone), now)
        preview = sending.assess(contacts, rule.template.channel, send_at)
        not_before = preview.not_before or send_at
        festival = rule.festival if rule.kind == GreetingKind.FESTIVAL else rule.name
        written += outbox.queue_messages([
            {**sending.outbox_row(rule.template, recipient, not_before, festival),
             "idempotency_key": f"greeting:{rule.id}:{recipient.contact.id}:{target.isoformat()}"}
            for recipient in preview.recipients], now)
    db.session.commit()
    outbox.hand_over(outbox.due(now))
    return len(written)


def run_today() -> int:
    """The daily job (just after midnight, Asia/Shanghai)."""
    now = utcnow()
    return run_due(now.astimezone(local_zone()).date(), now)


def get_rule(rule_id: int) -> GreetingRule:
    rule = db.session.get(GreetingRule, rule_id)
    if rule is None:
        raise NotFound(_("找不到该问候规则。"))
    return rule


def save_rule(actor: User, rule: GreetingRule | None, values: dict, now: datetime) -> GreetingRule:
    rule = rule or GreetingRule()
    for name, value in values.items():
        setattr(rule, name, value)
    rule.updated_at = now
    db.session.add(rule)
    db.session.flush()
    record_audit("messages.greeting_saved", target_type="greeting", target_id=rule.id, actor=actor, now=now,
                 detail=rule.name)
    db.session.commit()
    return rule
