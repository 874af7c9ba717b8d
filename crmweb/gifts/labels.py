"""What users read for the gift area's codes."""
from flask_babel import lazy_gettext as _l

from crmweb.gifts.rules import Category, GiftKind, MovementKind, Refusal

KINDS = {GiftKind.CUSTOM: _l("定制礼品"), GiftKind.LOGO: _l("公司标志纪念品")}
MOVEMENTS = {MovementKind.RECEIVED: _l("入库"), MovementKind.ISSUED: _l("出库"),
             MovementKind.ADJUSTED: _l("盘点调整")}
CATEGORIES = {Category.PROSPECT: _l("意向客户"), Category.VIP: _l("VIP 客户"), Category.KEY: _l("重点客户")}
REFUSALS = {
    Refusal.NO_CATEGORY: _l("该客户不属于本活动的任何馈赠类别（可说明理由后指定类别）。"),
    Refusal.LOST_CLIENT: _l("该客户已流失，不在馈赠范围内。"),
    Refusal.OPTED_OUT: _l("该联系人已表示不接受礼品。"),
    Refusal.ALREADY_LISTED: _l("该客户已在本活动的名单上。"),
    Refusal.OVER_CAP: _l("礼品价值超过该类别每份礼品的上限。"),
    Refusal.OVER_QUOTA: _l("该类别的名额已满。"),
    Refusal.OVER_BUDGET: _l("超出本活动的预算。"),
    Refusal.NO_STOCK: _l("礼品库存不足。"),
}
ALLOCATION_STATUS = {"draft": _l("待提交"), "submitted": _l("待审批"), "approved": _l("已批准"),
                     "returned": _l("已退回"), "sent": _l("已发放")}
