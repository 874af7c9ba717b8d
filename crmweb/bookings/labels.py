"""What users read for the visit area's codes."""
from flask_babel import lazy_gettext as _l

from crmweb.bookings.rules import Area, PassRefusal, VisitStatus

STATUS = {VisitStatus.REQUESTED: _l("待批准"), VisitStatus.APPROVED: _l("已批准"),
          VisitStatus.CANCELLED: _l("已取消")}
AREA_LABELS = {Area.SHOWROOM: _l("展厅"), Area.OFFICE: _l("办公区"), Area.WAREHOUSE: _l("仓储区"),
               Area.PRODUCTION: _l("生产厂区（重要）"), Area.LAB: _l("研发中心（重要）")}
PASS_REFUSALS = {PassRefusal.UNKNOWN: _l("没有这张通行证：不得入内。"),
                 PassRefusal.VOIDED: _l("通行证已作废（参观已取消或更改）：不得入内。"),
                 PassRefusal.OTHER_DAY: _l("通行证不是今天的：不得入内。"),
                 PassRefusal.USED: _l("通行证今天已经签到过。")}
