"""Demo data of the knowledge base: the service desk's everyday questions, published."""
import json

from flask_babel import gettext as _

from crmweb.kb import services as kb

DEMO_ARTICLES = [
    ("demo-repair", "设备出现故障如何报修？", "售后维修", ["报修", "维修", "上门"],
     "拨打服务热线 400-800-1234，或在微信服务号提交报修单。市区24小时内上门，郊县48小时内上门。"
     "保修期内免收上门费和人工费。"),
    ("demo-invoice", "如何开具增值税专用发票？", "账单与发票", ["发票", "专票", "开票"],
     "请提供单位全称、纳税人识别号、地址电话、开户行及账号，财务部在三个工作日内开具并寄出。"),
    ("demo-invoice-fix", "發票信息填錯了能否重開？", "账单与发票", ["发票", "重开", "红字发票"],
     "当月开具的发票可作废重开；跨月的需先开具红字发票冲销，再重新开具。请在30天内提出。"),
    ("demo-return", "商品有质量问题可以退换吗？", "退换货", ["退货", "换货", "质量问题"],
     "签收7天内可无理由退货，15天内有质量问题可换货。请保留包装和购物凭证。"),
    ("demo-visit", "客户来公司参观需要提前多久预约？", "参观接待", ["参观", "预约", "接待"],
     "一般客户提前2个工作日预约；重要客户至少提前5天，由客户服务部安排专人接待。"),
    ("demo-ac", "空调不制冷怎么处理？", "故障处理", ["空调", "故障", "制冷"],
     "先确认模式为制冷、温度设定低于室温；清洗滤网；检查室外机是否通风。仍不制冷请报修，可能缺少制冷剂。"),
    ("demo-washer", "洗衣机不脱水怎么办？", "故障处理", ["洗衣机", "脱水", "故障"],
     "衣物偏向一侧会导致不脱水，请抖散后重试；检查排水管是否堵塞、是否放平。"),
    ("demo-vip", "如何申请成为VIP客户？", "会员与VIP", ["VIP", "申请"],
     "一次性购买高端产品满1万元，或一个月内累计购买满2万元，可申请VIP，经理审批后生效。"),
    ("demo-complaint", "客户情绪激动时如何安抚？", "投诉处理", ["投诉", "安抚", "情绪"],
     "先倾听，不打断，不争辩；复述客户的问题表示理解；给出明确的处理时限，并在时限内回访。"),
    ("demo-birthday", "客户生日如何提醒？", "客户跟进", ["生日", "农历", "提醒"],
     "在联系人卡片中填写公历或农历生日，系统会在生日前提醒负责人并按规则发送祝福短信。"),
]


def seed_demo_articles(now) -> str:
    """Published articles from the service desk's everyday questions."""


    lines = [json.dumps({"ref": ref, "title": title, "category": category, "tags": tags, "body": body},
                        ensure_ascii=False) for ref, title, category, tags, body in DEMO_ARTICLES]
    created, _updated, _skipped, _problems = kb.import_articles(lines, now)
    return _("已载入 %(count)s 篇知识库文章。", count=created)
