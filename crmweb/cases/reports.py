"""Case reports: cases of a period by kind, cause, product, owner and tier; first-response and
resolution times in working hours (median, p90) against their deadlines; breach rate;
satisfaction after closure; the top causes; as a page and as XLSX (cells neutralised)."""

import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from crmweb.cases import labels, rules, services
from crmweb.cases.models import Case
from crmweb.clients import labels as client_labels
from crmweb.clients.exporting import neutralise
from crmweb.extensions import db
from crmweb.timeutil import local_zone
from crmweb.workdays import is_working_day


@dataclass(frozen=True)
class Period:
    first: date
    last: date


def period_from(args, now: datetime) -> Period:
    """`?from=&to=` as local dates; by default the last 90 days; a wrong date is the default."""
    today = now.astimezone(local_zone()).date()
    try:
        first = date.fromisoformat(args.get("from", ""))
    except ValueError:
        first = today - timedelta(days=89)
    try:
        last = date.fromisoformat(args.get("to", ""))
    except ValueError:
        last = today
    return Period(min(first, last), max(first, last))


@dataclass
class Times:
    median: float | None  # working hours
    p90: float | None
    within: int  # done by the deadline
    count: int


@dataclass
class CaseReport:
    period: Period
    total: int = 0
    by: dict = field(default_factory=dict)  # "kind" | "cause" | … → Counter
    response: Times | None = None
    resolution: Times | None = None
    breached: int = 0
    satisfaction: float | None = None
    confirmed: int = 0
    top_causes: list = field(default_factory=list)

    @property
    def breach_rate(self) -> float | None:
        return round(self.breached * 100 / self.total, 1) if self.total else None


def _times(pairs: list[tuple[datetime, datetime, datetime]], hours) -> Times:
    """(start, done, due) → how long each took in working hours, and how many were in time."""
    taken = [
        rules.working_minutes_between(start, done, hours, is_working_day, local_zone()) / 60
        for start, done, _due in pairs
    ]
    within = sum(1 for _start, done, due in pairs if due is not None and done < due)
    median, p90 = rules.percentile(taken, 0.5), rules.percentile(taken, 0.9)
    return Times(
        round(median, 1) if median is not None else None,
        round(p90, 1) if p90 is not None else None,
        within,
        len(pairs),
    )


def case_report(period: Period) -> CaseReport:
    zone = local_zone()
    begins = datetime.combine(period.first, datetime.min.time(), tzinfo=zone)
    ends = datetime.combine(period.last + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    cases = db.session.scalars(
        sa.select(Case)
        .where(Case.opened_at >= begins, Case.opened_at < ends)
        .options(selectinload(Case.client), selectinload(Case.owner))
    ).all()
    report = CaseReport(period, total=len(cases))
    report.by = {
        "kind": Counter(str(labels.KINDS[case.kind]) for case in cases),
        "cause": Counter(str(labels.CAUSES[case.cause]) for case in cases if case.cause),
        "product": Counter(case.product or _("（未填）") for case in cases),
        "owner": Counter(case.owner.display_name if case.owner else _("（未分派）") for case in cases),
        "tier": Counter(str(client_labels.TIER[case.client.tier]) for case in cases),
    }
    hours = services.working_hours()
    # Each against its deadline: the one breached if recorded, else the due instant.
    report.response = _times(
        [
            (case.opened_at, case.first_response_at, case.response_breached_at or case.response_due_at)
            for case in cases
            if case.first_response_at
        ],
        hours,
    )
    report.resolution = _times(
        [
            (case.opened_at, case.resolved_at, case.resolution_breached_at or case.resolution_due_at)
            for case in cases
            if case.resolved_at
        ],
        hours,
    )
    report.breached = sum(1 for case in cases if case.response_breached_at or case.resolution_breached_at)
    scores = [case.satisfaction for case in cases if case.status == rules.Status.CLOSED and case.satisfaction]
    report.satisfaction = round(sum(scores) / len(scores), 2) if scores else None
    report.confirmed = len(scores)
    report.top_causes = report.by["cause"].most_common(3)
    return report


def to_xlsx(report: CaseReport) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 (slow to import: only for Excel files)

    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(_("概况"))
    summary.append([_("期间"), f"{report.period.first} – {report.period.last}"])
    summary.append([_("工单"), report.total])
    summary.append([_("超时工单"), report.breached])
    summary.append([_("超时率（%）"), report.breach_rate])
    summary.append([_("关闭后的平均满意度"), report.satisfaction])
    for name, times in (
        (_("首次响应（工作小时）"), report.response),
        (_("解决（工作小时）"), report.resolution),
    ):
        summary.append(
            [name, _("中位数"), times.median, "P90", times.p90, _("按期"), times.within, _("共"), times.count]
        )
    for key, title in (
        ("kind", _("按类别")),
        ("cause", _("按原因")),
        ("product", _("按产品")),
        ("owner", _("按负责人")),
        ("tier", _("按客户等级")),
    ):
        sheet = workbook.create_sheet(title)
        sheet.append([title, _("工单")])
        for name, count in report.by[key].most_common():
            sheet.append([neutralise(name), count])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
