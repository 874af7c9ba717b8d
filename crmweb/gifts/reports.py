"""A campaign's spend against its budget, caps and quotas, by category and by owner; a year's gifts
per client beside that client's purchases; as pages and as XLSX (cells neutralised like every
export)."""

import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from crmweb.clients import labels as client_labels
from crmweb.clients.exporting import neutralise
from crmweb.clients.models import Client, ServiceEvent
from crmweb.extensions import db
from crmweb.gifts import campaigns, labels
from crmweb.gifts.models import Allocation, AllocationStatus, Campaign
from crmweb.gifts.rules import Category
from crmweb.timeutil import local_zone

# What counts as spent: promised on a list, approved, or sent (a returned list does not).
_COUNTED = (
    AllocationStatus.DRAFT,
    AllocationStatus.SUBMITTED,
    AllocationStatus.APPROVED,
    AllocationStatus.SENT,
)


@dataclass
class Line:
    recipients: int = 0
    spend: Decimal = Decimal(0)
    sent: int = 0


@dataclass
class Report:
    campaign: Campaign
    by_category: dict = field(default_factory=dict)  # category → (Line, cap, quota)
    by_owner: dict = field(default_factory=dict)  # owner's name → Line
    total: Line = field(default_factory=Line)


def campaign_report(campaign: Campaign) -> Report:
    report = Report(campaign)
    lines, owners = defaultdict(Line), defaultdict(Line)
    for allocation in campaigns.allocations(campaign):
        if allocation.status not in _COUNTED:
            continue
        owner = allocation.client.owner.display_name if allocation.client.owner else _("（无负责人）")
        for line in (lines[allocation.category], owners[owner], report.total):
            line.recipients += 1
            line.spend += allocation.value
            line.sent += allocation.status == AllocationStatus.SENT
    limits = {row.category: row for row in campaign.categories}
    # In the plan's order: prospects, VIPs, key clients.
    report.by_category = {category: (lines[category], limits[category].value_cap, limits[category].quota)
                          for category in Category if category in limits}
    report.by_owner = dict(sorted(owners.items()))
    return report


def _workbook():
    from openpyxl import Workbook  # noqa: PLC0415 (slow to import: only for Excel files)

    return Workbook(write_only=True)


def _saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_xlsx(report: Report) -> bytes:
    workbook = _workbook()
    sheet = workbook.create_sheet(_("按类别"))
    sheet.append([_("类别"), _("人数"), _("名额"), _("每份上限"), _("金额"), _("已发放")])
    for category, (line, cap, quota) in report.by_category.items():
        sheet.append(
            [
                str(labels.CATEGORIES[category]),
                line.recipients,
                quota,
                float(cap),
                float(line.spend),
                line.sent,
            ]
        )
    sheet.append(
        [_("合计"), report.total.recipients, None, None, float(report.total.spend), report.total.sent]
    )
    sheet.append([_("预算"), None, None, None, float(report.campaign.budget), None])
    owners = workbook.create_sheet(_("按负责人"))
    owners.append([_("负责人"), _("人数"), _("金额"), _("已发放")])
    for name, line in report.by_owner.items():
        owners.append([neutralise(name), line.recipients, float(line.spend), line.sent])
    return _saved(workbook)


@dataclass
class ClientYear:
    client: Client
    gifts: int = 0
    gift_value: Decimal = Decimal(0)
    purchases: Decimal = Decimal(0)

    @property
    def share_percent(self) -> Decimal | None:
        """What the gifts cost against what the client bought, for the 80/20 analysis to weigh."""
        return (self.gift_value * 100 / self.purchases).quantize(Decimal("0.1")) if self.purchases else None


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    """The local calendar year, as the stored UTC instants where it begins and ends."""
    zone = local_zone()
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)


def client_year(year: int) -> list[ClientYear]:
    """Every client given a gift in the local year: how many, their value, and the client's
    purchases in the same year (voided sales do not count); the largest gift value first."""
    begins, ends = _year_bounds(year)
    rows: dict[int, ClientYear] = {}
    sent = db.session.scalars(
        sa.select(Allocation).where(Allocation.status == AllocationStatus.SENT,
                                    Allocation.sent_at >= begins, Allocation.sent_at < ends)
        .options(selectinload(Allocation.client)))
    for allocation in sent:
        row = rows.setdefault(allocation.client_id, ClientYear(allocation.client))
        row.gifts += allocation.quantity
        row.gift_value += allocation.value
    if rows:
        purchases = db.session.execute(
            sa.select(ServiceEvent.client_id, sa.func.sum(ServiceEvent.amount))
            .where(ServiceEvent.client_id.in_(rows), ServiceEvent.kind == "sale",
                   ServiceEvent.voided_at.is_(None),
                   ServiceEvent.occurred_at >= begins, ServiceEvent.occurred_at < ends)
            .group_by(ServiceEvent.client_id))
        for client_id, total in purchases:
            rows[client_id].purchases = Decimal(total or 0)
    return sorted(rows.values(), key=lambda row: (-row.gift_value, row.client.sort_key, row.client.id))


def client_year_xlsx(year: int, rows: list[ClientYear]) -> bytes:
    workbook = _workbook()
    sheet = workbook.create_sheet(_("%(year)s 年客户礼品", year=year))
    sheet.append([_("客户"), _("等级"), _("负责人"), _("礼品件数"), _("礼品价值"), _("当年购买"),
                  _("礼品占购买比例（%）")])
    for row in rows:
        share = row.share_percent
        client, owner = row.client, row.client.owner
        sheet.append([neutralise(client.name), str(client_labels.TIER.get(client.tier, client.tier)),
                      neutralise(owner.display_name) if owner else "", row.gifts, float(row.gift_value),
                      float(row.purchases), float(share) if share is not None else None])
    return _saved(workbook)
