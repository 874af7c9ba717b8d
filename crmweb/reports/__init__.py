"""Evaluation and analysis (客户关系评估与分级, 80/20, loss analysis): the evaluation form and its
versions, clients evaluated, the graded roster, and the reports at /reports."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("reports", __name__)

from crmweb.area import Area  # noqa: E402
from crmweb.reports import routes, settings  # noqa: E402,F401
from crmweb.reports.panels import client_panels  # noqa: E402

area = Area(
    bp,
    client_panels=client_panels,
    menu=(("reports.index", _l("分析报表")), ("reports.roster", _l("客户分级目录"))),
    audit_actions={"evaluations.set_saved": _l("保存评估表"), "evaluations.set_approved": _l("批准评估表")},
)
