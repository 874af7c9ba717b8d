"""What users read for the gift area's codes."""
from flask_babel import lazy_gettext as _l

from crmweb.gifts.rules import GiftKind, MovementKind

KINDS = {GiftKind.CUSTOM: _l("定制礼品"), GiftKind.LOGO: _l("公司标志纪念品")}
MOVEMENTS = {MovementKind.RECEIVED: _l("入库"), MovementKind.ISSUED: _l("出库"),
             MovementKind.ADJUSTED: _l("盘点调整")}
