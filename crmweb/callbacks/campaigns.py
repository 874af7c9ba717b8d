"""Callback campaigns (回访活动): clients chosen by one of the rule book's selection methods, a call
for each, shared out to people in turn or to each client's owner."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from crmweb.auth.audit import record_audit
from crmweb.auth.models import User
from crmweb.auth.permissions import CALLBACKS_TEAM, role_can
from crmweb.callbacks import rules
from crmweb.callbacks.models import Callback, CallbackCampaign
from crmweb.callbacks.rules import Method, Source
from crmweb.clients.models import Client, Interaction, ServiceEvent
from crmweb.errors import Invalid, NotAllowed
from crmweb.extensions import db

MOST = 2000   # clients one campaign calls at most
NO_SERVICE_DAYS = 365  # a customer without installation or repair this long is due a check


@dataclass
class Choice:
    """How the clients are chosen: the method and its figure (N clients, satisfaction below X,
    N days), optionally within a tier or stage."""
    method: str
    figure: int
    tier: str = ""
    stage: str = ""


def _within(query, choice: Choice):
    query = query.where(Client.stage != "lost")
    if choice.tier:
        query = query.where(Client.tier == choice.tier)
    if choice.stage:
        query = query.where(Client.stage == choice.stage)
    return query


def chosen_clients(choice: Choice, now: datetime, seed: int) -> list[int]:
    """The clients a choice finds, in id order (at most MOST)."""
    if choice.method == Method.RANDOM:
        pool = db.session.scalars(_within(sa.select(Client.id), choice)).all()
        return rules.random_sample(pool, min(choice.figure, MOST), seed)
    if choice.method == Method.LOW_SATISFACTION:
        latest = (sa.select(Interaction.client_id, sa.func.max(Interaction.occurred_at).label("at"))
                  .where(Interaction.satisfaction.is_not(None), Interaction.voided_at.is_(None))
                  .group_by(Interaction.client_id).subquery())
        query = (sa.select(Client.id).join(latest, latest.c.client_id == Client.id)
                 .join(Interaction, sa.and_(Interaction.client_id == Client.id,
                                            Interaction.occurred_at == latest.c.at,
                                            Interaction.satisfaction.is_not(None),
                                            Interaction.voided_at.is_(None)))
                 .where(Interaction.satisfaction < choice.figure).distinct())
    elif choice.method == Method.SERVICE_NEEDED:
        trouble = sa.select(ServiceEvent.client_id).where(
            ServiceEvent.kind.in_(("complaint", "repair_late")), ServiceEvent.voided_at.is_(None),
            ServiceEvent.occurred_at >= now - timedelta(days=choice.figure))
        serviced = sa.select(ServiceEvent.client_id).where(
            ServiceEvent.kind.in_(("installation", "repair")), ServiceEvent.voided_at.is_(None),
            ServiceEvent.occurred_at >= now - timedelta(days=NO_SERVICE_DAYS))
        bought_before = sa.select(ServiceEvent.client_id).where(
            ServiceEvent.kind == "sale", ServiceEvent.voided_at.is_(None),
            ServiceEvent.occurred_at < now - timedelta(days=NO_SERVICE_DAYS))
        query = sa.select(Client.id).where(sa.or_(
            Client.id.in_(trouble), sa.and_(Client.id.in_(bought_before), Client.id.not_in(serviced))))
    elif choice.method == Method.RARELY_CONTACTED:
        since = now - timedelta(days=choice.figure)
        never = sa.and_(Client.last_contact_at.is_(None), Client.created_at < since)
        query = sa.select(Client.id).where(sa.or_(Client.last_contact_at < since, never))
    else:
        raise Invalid(_("未知的选择方法。"))
    return db.session.scalars(_within(query, choice).order_by(Client.id).limit(MOST)).all()


def start_campaign(actor: User, name: str, choice: Choice, content_type: str, purpose: str, opens_on: date,
                   closes_on: date, assignees: list[User], now: datetime) -> tuple[CallbackCampaign, int]:
    """The campaign and a callback for each client it finds; returns how many."""
    if not role_can(actor.role, CALLBACKS_TEAM):
        raise NotAllowed(_("只有主管、经理和总监可以发起回访活动。"))
    if closes_on < opens_on:
        raise Invalid(_("结束日期不能早于开始日期。"))
    campaign = CallbackCampaign(name=name.strip()[:100], method=choice.method, criteria=describe(choice),
                                content_type=content_type, purpose=purpose.strip()[:200], opens_on=opens_on,
                                closes_on=closes_on, created_by_id=actor.id, created_at=now)
    db.session.add(campaign)
    db.session.flush()
    client_ids = chosen_clients(choice, now, seed=campaign.id)
    owners = dict(db.session.execute(
        sa.select(Client.id, Client.owner_id).where(Client.id.in_(client_ids))).all()) if client_ids else {}
    callers = rules.share_out(client_ids, owners, [person.id for person in assignees])
    db.session.add_all([Callback(client_id=client_id, source=Source.CAMPAIGN, campaign_id=campaign.id,
                                 purpose=campaign.purpose, content_type=content_type, opens_on=opens_on,
                                 closes_on=closes_on, assignee_id=callers[client_id], created_at=now)
                        for client_id in client_ids])
    record_audit("callbacks.campaign_started", target_type="callback_campaign", target_id=campaign.id,
                 actor=actor, now=now, detail=f"{campaign.criteria} clients={len(client_ids)}")
    db.session.commit()
    return campaign, len(client_ids)


def describe(choice: Choice) -> str:
    parts = [f"{choice.method}={choice.figure}"]
    parts += [f"{name}={value}" for name, value in (("tier", choice.tier), ("stage", choice.stage)) if value]
    return " ".join(parts)


def all_campaigns() -> list[tuple[CallbackCampaign, int, int]]:
    """Every campaign, newest first, with its calls made and in all."""
    counts = {campaign_id: (done, total) for campaign_id, done, total in db.session.execute(
        sa.select(Callback.campaign_id,
                  sa.func.count().filter(Callback.status.in_((rules.Status.DONE, rules.Status.UNREACHED))),
                  sa.func.count())
        .where(Callback.campaign_id.is_not(None)).group_by(Callback.campaign_id))}
    campaigns = db.session.scalars(sa.select(CallbackCampaign).order_by(CallbackCampaign.id.desc())).all()
    return [(campaign, *counts.get(campaign.id, (0, 0))) for campaign in campaigns]
