"""Relationship evaluation: indicator sets drafted and approved in versions, clients evaluated with
the approved one (the archive proposing scores where it knows the figures), the graded roster.
Evaluations are confidential like the client's dealings: read by who reads those, and by who
evaluates; every read of one audited."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased, selectinload

from crmweb.auth.audit import record_audit
from crmweb.auth.models import User
from crmweb.auth.permissions import EVALUATIONS_APPROVE, EVALUATIONS_SETS, EVALUATIONS_WRITE, role_can
from crmweb.cases.models import Case
from crmweb.clients import access
from crmweb.clients.models import Client, Interaction, ServiceEvent
from crmweb.errors import Conflict, Invalid, NotAllowed, NotFound
from crmweb.extensions import db
from crmweb.pagination import Page, paginate
from crmweb.reports import rules
from crmweb.reports.analysis import clients_narrowed
from crmweb.reports.models import Evaluation, EvaluationScore, Indicator, IndicatorSet
from crmweb.reports.rules import Grade, SetStatus, Source

YEAR = timedelta(days=365)
EXPORT_LIMIT = 50_000  # rows in one workbook


# --- indicator sets ----------------------------------------------------------------------------


def current_set() -> IndicatorSet | None:
    return db.session.scalar(
        sa.select(IndicatorSet)
        .where(IndicatorSet.status == SetStatus.APPROVED)
        .options(selectinload(IndicatorSet.indicators))
    )


def all_sets() -> list[IndicatorSet]:
    return db.session.scalars(sa.select(IndicatorSet).order_by(IndicatorSet.id.desc())).all()


def get_set(set_id: int) -> IndicatorSet:
    found = db.session.get(IndicatorSet, set_id)
    if found is None:
        raise NotFound(_("找不到该评估表。"))
    return found


@dataclass
class Draft:
    name: str
    thresholds: rules.Thresholds
    advice: dict[str, str]  # grade → advice
    indicators: list[dict]  # name, weight, guidance, source


def _check(draft: Draft) -> None:
    if not draft.thresholds.valid():
        raise Invalid(_("等级分数线须 A > B > C ≥ 0，且不超过 100。"))
    if not draft.indicators:
        raise Invalid(_("评估表至少要有一项指标。"))


def save_draft(actor: User, indicator_set: IndicatorSet | None, draft: Draft, now: datetime) -> IndicatorSet:
    """A new version, or a draft changed; an approved or retired version never changes."""
    if not role_can(actor.role, EVALUATIONS_SETS):
        raise NotAllowed(_("评估指标由客户关系主管制定。"))
    if indicator_set is not None and indicator_set.status != SetStatus.DRAFT:
        raise Conflict(_("已批准的评估表不能修改，请另起新版本。"))
    _check(draft)
    indicator_set = indicator_set or IndicatorSet(
        created_by_id=actor.id, created_at=now, status=SetStatus.DRAFT
    )
    indicator_set.name = draft.name.strip()[:100]
    indicator_set.threshold_a, indicator_set.threshold_b, indicator_set.threshold_c = (
        draft.thresholds.a,
        draft.thresholds.b,
        draft.thresholds.c,
    )
    for grade in Grade:
        setattr(indicator_set, f"advice_{grade.lower()}", draft.advice[grade])
    indicator_set.indicators = [Indicator(position=n, **values) for n, values in enumerate(draft.indicators)]
    db.session.add(indicator_set)
    db.session.flush()
    record_audit(
        "evaluations.set_saved", target_type="indicator_set", target_id=indicator_set.id, actor=actor, now=now
    )
    db.session.commit()
    return indicator_set


def approve(actor: User, indicator_set: IndicatorSet, now: datetime) -> None:
    """In use from now on; the version before is retired (its evaluations keep it)."""
    if not role_can(actor.role, EVALUATIONS_APPROVE):
        raise NotAllowed(_("评估表须由客户服务经理批准。"))
    if indicator_set.status != SetStatus.DRAFT:
        raise Conflict(_("只有草稿可以批准。"))
    db.session.execute(
        sa.update(IndicatorSet)
        .where(IndicatorSet.status == SetStatus.APPROVED)
        .values(status=SetStatus.RETIRED)
    )
    indicator_set.status, indicator_set.approved_by_id, indicator_set.approved_at = (
        SetStatus.APPROVED,
        actor.id,
        now,
    )
    record_audit(
        "evaluations.set_approved",
        target_type="indicator_set",
        target_id=indicator_set.id,
        actor=actor,
        now=now,
    )
    db.session.commit()


# --- evaluating a client ---------------------------------------------------------------------


def may_read(actor: User, client: Client, now: datetime) -> bool:
    return role_can(actor.role, EVALUATIONS_WRITE) or access.can_read_confidential(actor, client, now)


def require_read(actor: User, client: Client, now: datetime) -> None:
    if not may_read(actor, client, now):
        raise NotAllowed(
            _("客户评估属于保密档案，只有经理、总监、客户负责人和评估人员可以查看。"),
            audit={
                "action": "archive.denied",
                "target_type": "client",
                "target_id": client.id,
                "detail": "evaluations",
            },
        )


@dataclass(frozen=True)
class Proposal:
    score: int
    why: str


def proposals(actor: User, client: Client, indicator_set: IndicatorSet, now: datetime) -> dict[int, Proposal]:
    """Scores the archive can propose, with the reason; the purchase figure only for who reads the
    client's dealings."""
    since = now - YEAR
    found = {}
    for indicator in indicator_set.indicators:
        if indicator.source == Source.PURCHASES and access.can_read_confidential(actor, client, now):
            mine, share = _purchase_rank(client.id, since)
            found[indicator.id] = Proposal(
                rules.proposed_from_rank(share),
                _(
                    "近 12 个月购买 ¥%(amount)s，不低于 %(share)s%% 的客户",
                    amount=f"{mine:.2f}",
                    share=round(share * 100),
                ),
            )
        elif indicator.source == Source.SATISFACTION:
            mean = db.session.scalar(
                sa.select(sa.func.avg(Interaction.satisfaction)).where(
                    Interaction.client_id == client.id,
                    Interaction.satisfaction.is_not(None),
                    Interaction.voided_at.is_(None),
                    Interaction.occurred_at >= since,
                )
            )
            if mean is not None:
                found[indicator.id] = Proposal(
                    rules.proposed_from_satisfaction(float(mean)),
                    _("近 12 个月回访平均满意度 %(mean)s/5", mean=f"{float(mean):.1f}"),
                )
        elif indicator.source == Source.COMPLAINTS:
            count = db.session.scalar(
                sa.select(sa.func.count(Case.id)).where(
                    Case.client_id == client.id, Case.kind == "complaint", Case.opened_at >= since
                )
            )
            found[indicator.id] = Proposal(
                rules.proposed_from_complaints(count), _("近 12 个月投诉 %(count)s 次", count=count)
            )
    return found


def _purchase_rank(client_id: int, since: datetime) -> tuple[Decimal, float]:
    """The client's purchases since then, and the share of buying clients it is at or above."""
    totals = (
        sa.select(ServiceEvent.client_id, sa.func.sum(ServiceEvent.amount).label("total"))
        .where(
            ServiceEvent.kind == "sale",
            ServiceEvent.voided_at.is_(None),
            ServiceEvent.amount.is_not(None),
            ServiceEvent.occurred_at >= since,
        )
        .group_by(ServiceEvent.client_id)
        .subquery()
    )
    mine = db.session.scalar(sa.select(totals.c.total).where(totals.c.client_id == client_id)) or Decimal(0)
    buyers = db.session.scalar(sa.select(sa.func.count()).select_from(totals)) or 0
    at_or_below = db.session.scalar(
        sa.select(sa.func.count()).select_from(totals).where(totals.c.total <= mine)
    )
    return Decimal(mine), (at_or_below / buyers if buyers else 0.0)


@dataclass
class Outcome:
    total: Decimal
    grade: str
    advice: str


def outcome(indicator_set: IndicatorSet, scores: dict[int, Decimal]) -> Outcome | None:
    """The total, grade and suggested advice of these scores (None until every indicator has one)."""
    weights = {indicator.id: indicator.weight for indicator in indicator_set.indicators}
    if set(scores) != set(weights):
        return None
    total = rules.weighted_total(scores, weights)
    grade = rules.grade_of(total, indicator_set.thresholds)
    return Outcome(total, grade, indicator_set.advice_for(grade))


def evaluate(
    actor: User,
    client: Client,
    indicator_set: IndicatorSet,
    scores: dict[int, tuple[Decimal, str]],
    advice: str,
    override_reason: str,
    now: datetime,
) -> Evaluation:
    """Scored with the approved form; advice other than the grade's needs a reason."""
    if not role_can(actor.role, EVALUATIONS_WRITE):
        raise NotAllowed(_("只有主管、经理和总监可以评估客户。"))
    if indicator_set.status != SetStatus.APPROVED:
        raise Conflict(_("评估表已有新版本，请重新打开评估页。"))
    result = outcome(indicator_set, {key: score for key, (score, _basis) in scores.items()})
    if result is None:
        raise Invalid(_("请为每一项指标打分。"))
    if advice != result.advice and not override_reason.strip():
        raise Invalid(_("建议与等级所对应的不同，请说明理由。"))
    evaluation = Evaluation(
        client_id=client.id,
        set_id=indicator_set.id,
        total=result.total,
        grade=result.grade,
        advice=advice,
        advice_override=override_reason.strip()[:300] if advice != result.advice else "",
        evaluator_id=actor.id,
        evaluated_at=now,
        scores=[
            EvaluationScore(indicator_id=key, score=score, basis=basis.strip()[:300])
            for key, (score, basis) in scores.items()
        ],
    )
    db.session.add(evaluation)
    db.session.flush()
    record_audit(
        "archive.changed",
        target_type="client",
        target_id=client.id,
        actor=actor,
        now=now,
        detail=f"evaluation={evaluation.id} grade={evaluation.grade}",
    )
    db.session.commit()
    return evaluation


def history(actor: User, client: Client, now: datetime) -> list[Evaluation]:
    """The client's evaluations, newest first; the read is audited."""
    require_read(actor, client, now)
    found = db.session.scalars(
        sa.select(Evaluation)
        .where(Evaluation.client_id == client.id)
        .options(
            selectinload(Evaluation.scores).selectinload(EvaluationScore.indicator),
            selectinload(Evaluation.indicator_set),
        )
        .order_by(Evaluation.evaluated_at.desc(), Evaluation.id.desc())
    ).all()
    record_audit(
        "archive.read", target_type="client", target_id=client.id, actor=actor, now=now, detail="evaluations"
    )
    db.session.commit()
    return found


# --- the graded roster -----------------------------------------------------------------------

# The tier a grade suggests (a supervisor accepts it or not).
TIER_FOR = {Grade.A: "key", Grade.B: "important", Grade.C: "general", Grade.D: "general"}


@dataclass
class RosterRow:
    client: Client
    evaluation: Evaluation
    previous_grade: str | None

    @property
    def proposed_tier(self) -> str | None:
        tier = TIER_FOR[self.evaluation.grade]
        return tier if tier != self.client.tier else None


def _ranked_evaluations():
    """Each client's evaluations numbered from the latest (1) back, each with the grade of the one
    before it (one pass over the evaluations)."""
    window = {
        "partition_by": Evaluation.client_id,
        "order_by": (Evaluation.evaluated_at.desc(), Evaluation.id.desc()),
    }
    return sa.select(
        Evaluation.id,
        sa.func.row_number().over(**window).label("rank"),
        sa.func.lead(Evaluation.grade).over(**window).label("previous_grade"),
    ).subquery()


@dataclass(frozen=True)
class RosterFilters:
    grade: str = ""
    tier: str = ""
    owner_id: int | None = None
    changed: bool = False  # only clients whose latest grade differs from the one before
    client_id: int | None = None


def _roster_query(filters: RosterFilters):
    ranked = _ranked_evaluations()
    latest = aliased(Evaluation)
    query = (
        sa.select(latest, Client, ranked.c.previous_grade)
        .join(ranked, sa.and_(ranked.c.id == latest.id, ranked.c.rank == 1))
        .join(Client, Client.id == latest.client_id)
        .order_by(latest.grade, Client.sort_key, Client.id)
    )
    if filters.grade:
        query = query.where(latest.grade == filters.grade)
    if filters.changed:
        query = query.where(ranked.c.previous_grade.is_not(None), ranked.c.previous_grade != latest.grade)
    return clients_narrowed(query, filters.tier, filters.owner_id, filters.client_id)


def _roster_rows(rows) -> list[RosterRow]:
    return [RosterRow(client, evaluation, previous) for evaluation, client, previous in rows]


def roster_page(filters: RosterFilters, raw_page, size: int = 100) -> Page:
    """One page of every evaluated client's latest grade, with the grade before it; filtered."""
    page = paginate(_roster_query(filters), raw_page, size, rows=True)
    page.items = _roster_rows(page.items)
    return page


def roster(filters: RosterFilters, limit: int = EXPORT_LIMIT) -> list[RosterRow]:
    """The whole filtered roster, for the workbook (and one client's row, for its tier)."""
    return _roster_rows(db.session.execute(_roster_query(filters).limit(limit)).all())
