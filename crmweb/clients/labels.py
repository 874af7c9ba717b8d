"""What the codes stored in the archive are called on screen."""
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

KIND = {"company": _l("企业"), "person": _l("个人")}
DUPLICATE_REASON = {"name": _l("名称相同"), "mobile": _l("联系人手机相同"), "email": _l("联系人邮箱相同")}
STAGE = {"prospect": _l("意向客户"), "customer": _l("成交客户"), "lost": _l("流失客户")}
# Why clients leave, as the rule book's loss analysis names the reasons.
LOST_REASON = {"strategy": _l("客户经营策略改变"), "competitor": _l("选择了其他供应商"),
               "unresolved": _l("问题或投诉没有妥善解决"), "price": _l("价格"), "quality": _l("产品质量"),
               "service": _l("服务不到位"), "closed": _l("客户停业或转行"), "other": _l("其他")}
TIER = {"general": _l("一般客户"), "important": _l("重要客户"), "key": _l("大客户")}
VIP_STATUS = {"none": _l("非 VIP"), "eligible": _l("符合 VIP 条件"), "applied": _l("VIP 申请中"),
              "vip": _l("VIP")}
INTERACTION_KIND = {"visit": _l("拜访"), "callback": _l("回访"), "reception": _l("接待"),
                    "complaint": _l("投诉"), "proposal": _l("建议"), "communication": _l("沟通"),
                    "activity": _l("客户活动")}
EVENT_KIND = {"sale": _l("购买"), "installation": _l("安装完成"), "repair": _l("维修完成"),
              "repair_late": _l("维修超出承诺时间"),
              "complaint": _l("收到投诉"), "proposal": _l("收到建议")}
CHANNEL = {"phone": _l("电话"), "visit": _l("上门"), "wechat": _l("微信"), "email": _l("邮件"),
           "sms": _l("短信"), "letter": _l("信函"), "other": _l("其他")}
POTENTIAL = {"high": _l("高"), "medium": _l("中"), "low": _l("低")}
FREQUENCY = {"weekly": _l("每周"), "biweekly": _l("每两周"), "monthly": _l("每月"),
             "quarterly": _l("每季度"), "yearly": _l("每年")}
BIRTHDAY_CALENDAR = {"solar": _l("公历"), "lunar": _l("农历")}
ACCESS_STATUS = {"pending": _l("待审批"), "approved": _l("已批准"), "refused": _l("已拒绝"),
                 "revoked": _l("已撤销")}


def choices(labels: dict, blank: bool = False) -> list[SelectChoice]:
    options = [SelectChoice("", "—")] if blank else []
    return options + [SelectChoice(code, label) for code, label in labels.items()]


def vip_reason(reason: str | None) -> str:
    """The stored reason ("single:2026-11-23:12000.00", "monthly:2026-04:20000", "manual:…") as a
    sentence."""

    kind, _sep, rest = (reason or "").partition(":")
    try:
        if kind == "single":
            day, amount = rest.split(":")
            return str(_l("%(day)s 单笔购买高端产品 %(amount)s 元", day=day,
                          amount=f"{Decimal(amount):,.2f}"))
        if kind == "monthly":
            month, amount = rest.split(":")
            year, number = month.split("-")
            return str(_l("%(year)s 年 %(month)s 月累计购买 %(amount)s 元", year=year, month=int(number),
                          amount=f"{Decimal(amount):,.2f}"))
    except (ValueError, InvalidOperation):
        return reason or ""
    if kind == "manual":
        return str(_l("人工申请：%(reason)s", reason=rest))
    return reason or ""
