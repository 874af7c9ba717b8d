"""The reports as XLSX (cells neutralised like every export)."""

import io

from flask_babel import gettext as _

from crmweb.clients import labels as client_labels
from crmweb.clients.exporting import neutralise
from crmweb.reports import labels
from crmweb.timeutil import local_zone


def _local_day(moment):
    """A stored instant as the Shanghai day it fell on (an Excel date cell); None stays empty."""
    return moment.astimezone(local_zone()).date() if moment else None


def _workbook(title: str, header: list, rows: list[list]) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 (slow to import: only for Excel files)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append([neutralise(cell) if isinstance(cell, str) else cell for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_xlsx(rows) -> bytes:
    return _workbook(
        _("客户分级目录"),
        [
            _("客户"),
            _("等级"),
            _("上次等级"),
            _("总分"),
            _("客户等级"),
            _("负责人"),
            _("评估日期"),
            _("建议"),
        ],
        [
            [
                row.client.name,
                row.evaluation.grade,
                row.previous_grade or "",
                float(row.evaluation.total),
                str(client_labels.TIER[row.client.tier]),
                row.client.owner.display_name if row.client.owner else "",
                _local_day(row.evaluation.evaluated_at),
                str(labels.ADVICE[row.evaluation.advice]),
            ]
            for row in rows
        ],
    )


def pareto_xlsx(report) -> bytes:
    return _workbook(
        _("二八分析"),
        [_("名次"), _("客户编号"), _("购买额"), _("客户占比"), _("金额占比")],
        [
            [
                point.rank,
                point.client_id,
                float(point.value),
                round(point.share_of_clients, 4),
                round(point.share_of_value, 4),
            ]
            for point in report.points
        ],
    )


def risk_xlsx(rows) -> bytes:
    return _workbook(
        _("流失风险"),
        [_("客户"), _("客户等级"), _("负责人"), _("最近联系"), _("风险")],
        [
            [
                row.client.name,
                str(client_labels.TIER[row.client.tier]),
                row.client.owner.display_name if row.client.owner else "",
                _local_day(row.client.last_contact_at),
                "、".join(str(labels.RISKS[sign]) for sign in row.risks),
            ]
            for row in rows
        ],
    )


def churn_xlsx(clients) -> bytes:
    return _workbook(
        _("流失分析"),
        [_("客户"), _("流失时间"), _("客户等级"), _("分组"), _("负责人"), _("原因")],
        [
            [
                client.name,
                _local_day(client.lost_at),
                str(client_labels.TIER[client.tier]),
                "、".join(label.name for label in client.labels),
                client.owner.display_name if client.owner else "",
                str(client_labels.LOST_REASON.get(client.lost_reason, "")) if client.lost_reason else "",
            ]
            for client in clients
        ],
    )


def satisfaction_xlsx(report) -> bytes:
    rows = [
        [_("按客户等级"), str(client_labels.TIER.get(tier, tier)), mean, count]
        for tier, mean, count in report.by_tier
    ]
    rows += [[_("按负责人"), name, mean, count] for name, mean, count in report.by_owner]
    rows += [[_("按月份"), month, mean, count] for month, mean, count in report.by_month]
    rows.append([_("工单确认"), "", report.cases[0], report.cases[1]])
    rows.append([_("评估中的满意度得分（0–100）"), "", report.evaluations[0], report.evaluations[1]])
    return _workbook(_("满意度"), [_("分组方式"), _("分组"), _("平均满意度"), _("次数")], rows)


def effort_xlsx(rows) -> bytes:
    return _workbook(
        _("维护投入与价值"),
        [_("客户"), _("购买额"), _("交流"), _("回访"), _("来访"), _("礼品花费")],
        [
            [row.client.name, float(row.value), row.touches, row.calls, row.visits, float(row.gift_cost)]
            for row in rows
        ],
    )
