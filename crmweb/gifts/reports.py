"""A campaign's spend against its budget, caps and quotas, by category and by owner; as a page and
as XLSX (cells neutralised like every export)."""

import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _

from crmweb.clients.exporting import neutralise
from crmweb.gifts import campaigns, labels
from crmweb.gifts.models import AllocationStatus, Campaign
from crmweb.gifts.rules import Category

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


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 (slow to import: only for Excel files)

    workbook = Workbook(write_only=True)
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
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
