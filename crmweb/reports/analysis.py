"""The analyses over a period, aggregated in SQL (window functions for running shares) so that they
stay quick at a hundred thousand clients: 80/20 value with its cost beside it, and clients at risk."""

import math
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from crmweb.auth.models import User
from crmweb.bookings.models import Booking
from crmweb.callbacks.models import Callback
from crmweb.cases.models import Case
from crmweb.cases.rules import Kind as CaseKind
from crmweb.cases.rules import Status as CaseStatus
from crmweb.clients.models import Client, Interaction, ServiceEvent
from crmweb.extensions import db
from crmweb.gifts.models import Allocation, AllocationStatus
from crmweb.pagination import Page, page_number
from crmweb.reports import rules
from crmweb.reports.models import Evaluation, EvaluationScore, Indicator
from crmweb.timeutil import local_zone

POINTS = 100  # the curve is drawn through at most this many points


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    def bounds(self) -> tuple[datetime, datetime]:
        zone = local_zone()
        return (
            datetime.combine(self.first, datetime.min.time(), tzinfo=zone),
            datetime.combine(self.last + timedelta(days=1), datetime.min.time(), tzinfo=zone),
        )


def period_from(args, now: datetime, days: int = 365) -> Period:
    """`?from=&to=` as local dates; by default the last year; a wrong date is the default."""
    today = now.astimezone(local_zone()).date()
    try:
        first = date.fromisoformat(args.get("from", ""))
    except ValueError:
        first = today - timedelta(days=days - 1)
    try:
        last = date.fromisoformat(args.get("to", ""))
    except ValueError:
        last = today
    return Period(min(first, last), max(first, last))


def _purchases(begins: datetime, ends: datetime):
    return (
        sa.select(ServiceEvent.client_id.label("client_id"), sa.func.sum(ServiceEvent.amount).label("value"))
        .where(
            ServiceEvent.kind == "sale",
            ServiceEvent.voided_at.is_(None),
            ServiceEvent.amount > 0,
            ServiceEvent.occurred_at >= begins,
            ServiceEvent.occurred_at < ends,
        )
        .group_by(ServiceEvent.client_id)
    )


def _gift_costs(begins: datetime, ends: datetime):
    return (
        sa.select(
            Allocation.client_id.label("client_id"),
            sa.func.sum(Allocation.unit_value * Allocation.quantity).label("cost"),
        )
        .where(
            Allocation.status == AllocationStatus.SENT,
            Allocation.sent_at >= begins,
            Allocation.sent_at < ends,
        )
        .group_by(Allocation.client_id)
    )


@dataclass(frozen=True)
class Point:
    rank: int  # the client's place by value (1: the most)
    client_id: int
    value: Decimal
    share_of_clients: float  # up to and including this client
    share_of_value: float


@dataclass
class Pareto:
    period: Period
    buyers: int = 0  # clients who bought in the period
    total: Decimal = Decimal(0)
    points: list[Point] = field(default_factory=list)
    top_share: float = 0.0  # the value the top 20 % bring
    top_count: int = 0
    costly: list = field(default_factory=list)  # (client, value, cost): cost more than they brought


def _ranked(begins: datetime, ends: datetime):
    totals = _purchases(begins, ends).subquery()
    order = (totals.c.value.desc(), totals.c.client_id)
    return sa.select(
        totals.c.client_id,
        totals.c.value,
        sa.func.row_number().over(order_by=order).label("rank"),
        sa.func.sum(totals.c.value).over(order_by=order, rows=(None, 0)).label("running"),
    ).subquery()


def pareto(period: Period) -> Pareto:
    """Clients who bought, ranked by value: the curve of cumulative shares (sampled), the top 20 %'s
    share, and the clients whose gifts cost more than they bought."""
    begins, ends = period.bounds()
    report = Pareto(period)
    totals = _purchases(begins, ends).subquery()
    report.buyers, total = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(totals.c.value), 0))
    ).one()
    report.total = Decimal(total)
    if report.buyers:
        ranked = _ranked(begins, ends)
        step = max(1, math.ceil(report.buyers / POINTS))
        report.top_count = max(1, round(report.buyers * 0.2))
        rows = db.session.execute(
            sa.select(ranked)
            .where(
                sa.or_(
                    ranked.c.rank % step == 0,
                    ranked.c.rank == report.buyers,
                    ranked.c.rank == 1,
                    ranked.c.rank == report.top_count,
                )
            )
            .order_by(ranked.c.rank)
        ).all()
        report.points = [
            Point(
                row.rank,
                row.client_id,
                Decimal(row.value),
                row.rank / report.buyers,
                float(Decimal(row.running) / report.total),
            )
            for row in rows
        ]
        report.top_share = next(
            point.share_of_value for point in report.points if point.rank == report.top_count
        )
    costs = _gift_costs(begins, ends).subquery()
    bought = _purchases(begins, ends).subquery()
    report.costly = db.session.execute(
        sa.select(Client, sa.func.coalesce(bought.c.value, 0), costs.c.cost)
        .join(costs, costs.c.client_id == Client.id)
        .outerjoin(bought, bought.c.client_id == Client.id)
        .where(costs.c.cost > sa.func.coalesce(bought.c.value, 0))
        .order_by((costs.c.cost - sa.func.coalesce(bought.c.value, 0)).desc(), Client.id)
        .limit(100)
    ).all()
    return report


def clients_ranked(
    period: Period, first_rank: int, last_rank: int
) -> list[tuple[int, Client, Decimal, Decimal]]:
    """The clients between two places by value (a point of the curve clicked), with their gift cost."""
    begins, ends = period.bounds()
    ranked = _ranked(begins, ends)
    costs = _gift_costs(begins, ends).subquery()
    return db.session.execute(
        sa.select(ranked.c.rank, Client, ranked.c.value, sa.func.coalesce(costs.c.cost, 0))
        .join(Client, Client.id == ranked.c.client_id)
        .outerjoin(costs, costs.c.client_id == Client.id)
        .where(ranked.c.rank.between(first_rank, last_rank))
        .order_by(ranked.c.rank)
        .limit(500)
    ).all()


# --- at risk ---------------------------------------------------------------------------------


@dataclass
class AtRisk:
    client: Client
    risks: list[str]


def clients_narrowed(query, tier: str, owner_id: int | None, client_id: int | None):
    """A report's query kept to a tier, an owner's clients or one client, where asked."""
    if tier:
        query = query.where(Client.tier == tier)
    if owner_id:
        query = query.where(Client.owner_id == owner_id)
    if client_id:
        query = query.where(Client.id == client_id)
    return query


@dataclass(frozen=True)
class RiskFilters:
    owner_id: int | None = None
    tier: str = ""
    risk: str = ""  # one sign only (a rules.Risk)
    client_id: int | None = None


def _risk_ranking(now: datetime, limits: rules.RiskLimits, filters: RiskFilters):
    """Customers with what the risk rules read (last sale, this and last quarter's purchases, latest
    satisfaction, open complaints), those showing any sign (or the one asked for), the most signs
    first, each row carrying how many match in all. The signs are the rules' (rules.risks) said in
    SQL, so that the database chooses and orders the list."""
    quiet_since = now - timedelta(days=limits.quiet_days)
    quarter = timedelta(days=91)
    this_q = _purchases(now - quarter, now).subquery()
    last_q = _purchases(now - 2 * quarter, now - quarter).subquery()
    # One index seek per customer each (sales by client, standing scored touches by client).
    sold_at = (
        sa.select(sa.func.max(ServiceEvent.occurred_at))
        .where(
            ServiceEvent.kind == "sale", ServiceEvent.voided_at.is_(None), ServiceEvent.client_id == Client.id
        )
        .scalar_subquery()
    )
    satisfaction = (
        sa.select(Interaction.satisfaction)
        .where(
            Interaction.client_id == Client.id,
            Interaction.satisfaction.is_not(None),
            Interaction.voided_at.is_(None),
        )
        .order_by(Interaction.occurred_at.desc())  # no tie-break: it would keep SQLite off the index
        .limit(1)
        .scalar_subquery()
    )
    open_complaints = (
        sa.select(Case.client_id, sa.func.count().label("open"))
        .where(Case.kind == CaseKind.COMPLAINT, Case.status != CaseStatus.CLOSED)
        .group_by(Case.client_id)
        .subquery()
    )
    customers = (
        sa.select(
            Client.id.label("client_id"),
            Client.last_contact_at,
            sold_at.label("sold_at"),
            sa.func.coalesce(this_q.c.value, 0).label("this_quarter"),
            sa.func.coalesce(last_q.c.value, 0).label("last_quarter"),
            satisfaction.label("satisfaction"),
            sa.func.coalesce(open_complaints.c.open, 0).label("complaints"),
        )
        .outerjoin(this_q, this_q.c.client_id == Client.id)
        .outerjoin(last_q, last_q.c.client_id == Client.id)
        .outerjoin(open_complaints, open_complaints.c.client_id == Client.id)
        .where(Client.stage == "customer")
    )
    customers = clients_narrowed(customers, filters.tier, filters.owner_id, filters.client_id)
    # Materialised, so that each customer's seeks run once, not once per use of their result.
    found = customers.cte("customers").prefix_with("MATERIALIZED")
    signs = {
        rules.Risk.NO_PURCHASE: found.c.sold_at <= quiet_since,
        rules.Risk.NO_CONTACT: sa.or_(
            found.c.last_contact_at.is_(None), found.c.last_contact_at <= quiet_since
        ),
        rules.Risk.FALLING: sa.and_(
            found.c.last_quarter > 0, found.c.this_quarter < found.c.last_quarter * limits.falling_share
        ),
        rules.Risk.UNHAPPY: found.c.satisfaction < limits.unhappy_below,
        rules.Risk.OPEN_COMPLAINT: found.c.complaints > 0,
    }
    count = sum(sa.case((sign, 1), else_=0) for sign in signs.values())
    return (
        sa.select(found, count.label("signs"), sa.func.count().over().label("total"))
        .where(signs[filters.risk] if filters.risk in signs else count > 0)
        .order_by(count.desc(), found.c.client_id)
    )


def _at_risk_rows(now: datetime, limits: rules.RiskLimits, filters: RiskFilters, limit: int, offset: int = 0):
    """A stretch of the ranking with each client's row; (rows, how many in all)."""
    ranked = _risk_ranking(now, limits, filters).limit(limit).offset(offset).subquery()
    rows = db.session.execute(
        sa.select(Client, ranked)
        .join(ranked, ranked.c.client_id == Client.id)
        .order_by(ranked.c.signs.desc(), ranked.c.client_id)
    ).all()
    found = [
        AtRisk(
            row.Client,
            rules.risks(
                rules.Signals(
                    days_since_purchase=(now - row.sold_at).days if row.sold_at else None,
                    days_since_contact=(now - row.last_contact_at).days if row.last_contact_at else None,
                    this_quarter=Decimal(row.this_quarter),
                    last_quarter=Decimal(row.last_quarter),
                    latest_satisfaction=row.satisfaction,
                    open_complaints=row.complaints,
                ),
                limits,
            ),
        )
        for row in rows
    ]
    return found, rows[0].total if rows else 0


def at_risk_page(
    now: datetime, limits: rules.RiskLimits, filters: RiskFilters, raw_page, size: int = 100
) -> Page:
    """One page of the customers at risk, in one statement (past the last page: the last page)."""
    number = page_number(raw_page, sys.maxsize, size)
    items, total = _at_risk_rows(now, limits, filters, size, (number - 1) * size)
    if not items and number > 1:
        total = _at_risk_rows(now, limits, filters, 1)[1]
        number = page_number(number, total, size)
        items = _at_risk_rows(now, limits, filters, size, (number - 1) * size)[0]
    return Page(items=items, number=number, size=size, total=total)


def at_risk(
    now: datetime, limits: rules.RiskLimits, filters: RiskFilters, limit: int = 50_000
) -> list[AtRisk]:
    """All the customers at risk (a workbook), or one client's signs."""
    return _at_risk_rows(now, limits, filters, limit)[0]


# --- loss, satisfaction, effort against value ---------------------------------------------------


def lost_clients(period: Period, limit: int = 500) -> tuple[list[Client], list[tuple[str | None, int]]]:
    """Clients lost in the period (newest first) and how many for each stated reason."""
    begins, ends = period.bounds()
    lost = (Client.stage == "lost", Client.lost_at >= begins, Client.lost_at < ends)
    clients = db.session.scalars(
        sa.select(Client)
        .where(*lost)
        .options(selectinload(Client.labels))
        .order_by(Client.lost_at.desc(), Client.id)
        .limit(limit)
    ).all()
    reasons = db.session.execute(
        sa.select(Client.lost_reason, sa.func.count())
        .where(*lost)
        .group_by(Client.lost_reason)
        .order_by(sa.func.count().desc())
    ).all()
    return clients, [(reason, count) for reason, count in reasons]


def local_month(column):
    """The local calendar month of a stored UTC instant, as 'YYYY-MM', in SQL (Shanghai keeps no
    summer time, so one offset serves)."""
    offset = local_zone().utcoffset(datetime.now())
    hours = int(offset.total_seconds() // 3600)
    if db.engine.dialect.name == "postgresql":
        return sa.func.to_char(column + sa.text(f"interval '{hours} hours'"), "YYYY-MM")
    return sa.func.strftime("%Y-%m", column, f"{hours:+d} hours")


@dataclass
class Satisfaction:
    by_tier: list = field(default_factory=list)  # (tier, mean, count)
    by_owner: list = field(default_factory=list)  # (owner name, mean, count)
    by_month: list = field(default_factory=list)  # (YYYY-MM, mean, count)
    cases: tuple = (None, 0)  # closed cases' confirmation: (mean, count)
    evaluations: tuple = (None, 0)  # the satisfaction indicator of evaluations, 0–100: (mean, count)


def satisfaction(period: Period) -> Satisfaction:
    """The satisfaction clients gave on calls and other touches in the period, and on closing their
    cases."""
    begins, ends = period.bounds()
    scored = (
        Interaction.satisfaction.is_not(None),
        Interaction.voided_at.is_(None),
        Interaction.occurred_at >= begins,
        Interaction.occurred_at < ends,
    )
    # One pass over the scored touches, grouped finely (tier × owner × month: a few hundred rows),
    # summed up here three ways.
    month = local_month(Interaction.occurred_at)
    fine = db.session.execute(
        sa.select(Client.tier, Client.owner_id, month, sa.func.sum(Interaction.satisfaction), sa.func.count())
        .join(Client, Client.id == Interaction.client_id)
        .where(*scored)
        .group_by(Client.tier, Client.owner_id, month)
    ).all()
    owners = {user.id: user.display_name for user in db.session.scalars(sa.select(User))}

    def summed(key) -> list:
        totals: dict = {}
        for row in fine:
            total, count = totals.get(key(row), (0, 0))
            totals[key(row)] = (total + row[3], count + row[4])
        return [(group, round(total / count, 2), count) for group, (total, count) in sorted(totals.items())]

    report = Satisfaction(by_tier=summed(lambda row: row[0]), by_month=summed(lambda row: row[2]))
    report.by_owner = [
        (owners.get(owner_id, _("（无负责人）")), mean, count)
        for owner_id, mean, count in summed(lambda row: row[1] or 0)
    ]
    case_mean, case_count = db.session.execute(
        sa.select(sa.func.avg(Case.satisfaction), sa.func.count(Case.id)).where(
            Case.status == CaseStatus.CLOSED,
            Case.satisfaction.is_not(None),
            Case.closed_at >= begins,
            Case.closed_at < ends,
        )
    ).one()
    report.cases = (round(float(case_mean), 2) if case_mean is not None else None, case_count)
    evaluation_mean, evaluation_count = db.session.execute(
        sa.select(sa.func.avg(EvaluationScore.score), sa.func.count())
        .join(Evaluation, Evaluation.id == EvaluationScore.evaluation_id)
        .join(Indicator, Indicator.id == EvaluationScore.indicator_id)
        .where(
            Indicator.source == rules.Source.SATISFACTION,
            Evaluation.evaluated_at >= begins,
            Evaluation.evaluated_at < ends,
        )
    ).one()
    report.evaluations = (
        round(float(evaluation_mean), 1) if evaluation_mean is not None else None,
        evaluation_count,
    )
    return report


@dataclass(frozen=True)
class Effort:
    client: Client
    value: Decimal
    touches: int  # interactions recorded
    calls: int  # callbacks made
    visits: int  # visits received
    gift_cost: Decimal


def effort_against_value(period: Period, limit: int = 200) -> list[Effort]:
    """The clients who bought most in the period, each with the work put in (touches, calls made,
    visits) and the gifts given: found by value first, then counted for those clients only (an
    index range each), so that a year of a million touches is not counted for everyone."""
    begins, ends = period.bounds()
    # The largest buyers are picked among the sums before any client row is joined.
    bought = _purchases(begins, ends)
    top_buyers = (
        bought.order_by(bought.selected_columns.value.desc(), ServiceEvent.client_id).limit(limit).subquery()
    )
    top = db.session.execute(
        sa.select(Client, top_buyers.c.value)
        .join(top_buyers, top_buyers.c.client_id == Client.id)
        .order_by(top_buyers.c.value.desc(), Client.id)
    ).all()
    ids = [client.id for client, _value in top]

    def counted(column, *conditions) -> dict[int, int]:
        return (
            dict(
                db.session.execute(
                    sa.select(column, sa.func.count()).where(column.in_(ids), *conditions).group_by(column)
                ).all()
            )
            if ids
            else {}
        )

    touches = counted(
        Interaction.client_id,
        Interaction.voided_at.is_(None),
        Interaction.occurred_at >= begins,
        Interaction.occurred_at < ends,
    )
    calls = counted(
        Callback.client_id, Callback.status == "done", Callback.done_at >= begins, Callback.done_at < ends
    )
    visits = counted(
        Booking.client_id, Booking.status == "approved", Booking.starts_at >= begins, Booking.starts_at < ends
    )
    costs = (
        dict(
            db.session.execute(
                sa.select(Allocation.client_id, sa.func.sum(Allocation.unit_value * Allocation.quantity))
                .where(
                    Allocation.client_id.in_(ids),
                    Allocation.status == AllocationStatus.SENT,
                    Allocation.sent_at >= begins,
                    Allocation.sent_at < ends,
                )
                .group_by(Allocation.client_id)
            ).all()
        )
        if ids
        else {}
    )
    return [
        Effort(
            client,
            Decimal(value),
            touches.get(client.id, 0),
            calls.get(client.id, 0),
            visits.get(client.id, 0),
            Decimal(costs.get(client.id) or 0),
        )
        for client, value in top
    ]
