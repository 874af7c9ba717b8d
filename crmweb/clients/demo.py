"""Demo data of the client archive: companies with contacts, interactions and purchases."""
import random
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from crmweb.auth.models import User
from crmweb.clients import services as clients
from crmweb.clients import timeline
from crmweb.clients.models import Client
from crmweb.extensions import db
from crmweb.timeutil import local_zone

COMPANIES = [
    ("徐州华通机械有限公司", "江苏省徐州市经济技术开发区工业一路 18 号", "工程机械配件", "key"),
    ("南京金陵电子科技股份有限公司", "南京市江宁区秣陵街道将军大道 66 号", "工业控制器", "important"),
    ("苏州恒润纺织有限公司", "苏州市吴江区盛泽镇舜新路 102 号", "化纤面料", "general"),
    ("无锡新锐环保设备有限公司", "无锡市新吴区长江路 21 号", "污水处理设备", "important"),
    ("常州东方医疗器械有限公司", "常州市武进区西太湖大道 8 号", "医用耗材", "general"),
    ("上海浦江物流有限公司", "上海市浦东新区外高桥港区洲海路 999 号", "第三方物流", "key"),
    ("杭州西子家居用品有限公司", "杭州市余杭区良渚街道好运街 12 号", "家居用品", "general"),
    ("宁波港城进出口贸易有限公司", "宁波市北仑区新碶街道明州路 88 号", "进出口贸易", "important"),
    ("合肥科大讯达信息技术有限公司", "合肥市高新区望江西路 800 号", "软件服务", "general"),
    ("济南齐鲁重工集团有限公司", "济南市章丘区明水经济开发区 1 号", "重型机械", "key"),
    ("青岛海韵食品有限公司", "青岛市城阳区正阳路 200 号", "海产品加工", "general"),
    ("郑州中原建材有限公司", "郑州市管城区航海东路 1366 号", "建筑材料", "general"),
    ("武汉光谷激光技术有限公司", "武汉市东湖高新区高新大道 999 号", "激光设备", "important"),
    ("长沙湘江汽车零部件有限公司", "长沙市经开区星沙大道 58 号", "汽车零部件", "general"),
    ("成都天府酒店管理有限公司", "成都市锦江区红星路三段 1 号", "酒店管理", "general"),
    ("重庆长江船舶配套有限公司", "重庆市江北区港城南路 6 号", "船舶配件", "important"),
    ("西安古城文化传媒有限公司", "西安市雁塔区曲江池东路 2 号", "文化传媒", "general"),
    ("福州闽江茶业有限公司", "福州市仓山区建新镇金山大道 618 号", "茶叶", "general"),
    ("厦门鹭岛电子商务有限公司", "厦门市思明区软件园二期观日路 24 号", "电子商务", "general"),
    ("广州珠江精细化工有限公司", "广州市黄埔区开发大道 348 号", "精细化工", "important"),
    ("深圳鹏程智能科技有限公司", "深圳市南山区科技园南区高新南七道 9 号", "智能硬件", "key"),
    ("东莞华南模具有限公司", "东莞市长安镇振安中路 188 号", "精密模具", "general"),
    ("佛山南海陶瓷有限公司", "佛山市南海区狮山镇科技工业园 A 区", "建筑陶瓷", "general"),
    ("天津滨海新材料有限公司", "天津市滨海新区中新生态城和旭路 276 号", "新材料", "general"),
    ("北京中关村软件园信息服务有限公司", "北京市海淀区东北旺西路 8 号", "信息服务", "important"),
]
PEOPLE = ["曾国强", "单丽华", "仇建平", "李红梅", "王建国", "张伟", "刘洋", "陈静", "杨帆", "赵磊",
          "黄敏", "周涛", "吴芳", "徐明", "孙丽", "马超", "朱琳", "胡军", "郭靖", "何婷",
          "高峰", "林晓燕", "罗刚", "郑爽", "梁晨", "谢婉", "宋佳", "唐宁", "韩雪", "冯磊"]
POSITIONS = ["总经理", "采购部经理", "财务总监", "设备主管", "行政经理", "副总经理"]
NOTES = ["电话回访，客户对新型号的能耗表现满意。", "上门拜访，了解明年的采购计划。",
         "客户反映交货周期偏长，已与生产部沟通。", "邀请客户参加年度客户服务大会。",
         "客户提出包装改进建议，已转产品部。", "节日问候，客户表示感谢。"]


DEMO_GROUPS = ["华东区", "华南区", "华北区", "中西部"]
DEMO_TAGS = ["年度重点维护", "价格敏感", "关注新品"]


def seed_demo_clients(now) -> str:
    """A realistic set of client companies with contacts, interactions and purchases."""


    owners = db.session.scalars(sa.select(User).where(
        User.role.in_(["specialist", "sales", "supervisor"]))).all()
    director = db.session.scalar(sa.select(User).where(User.role == "director"))
    rng = random.Random(20261122)
    people = iter(PEOPLE * 3)
    for index, (name, address, business, tier) in enumerate(COMPANIES):
        owner = owners[index % len(owners)]
        client = clients.create_client(owner, {
            "name": name, "kind": "company", "tier": tier, "address": address,
            "main_business": business, "stage": "customer" if index % 5 else "prospect",
            "staff_count": rng.choice([45, 120, 300, 850, 2400]), "operating_status": "正常经营",
            "owner_id": owner.id}, now)
        for n in range(rng.choice([1, 2, 3])):
            person = next(people)
            birthday = {"birthday_calendar": "lunar" if n == 1 else "solar",
                        "birth_month": rng.randint(1, 12), "birth_day": rng.randint(1, 28)}
            if n == 0 and index % 4 == 0:  # some birthdays in the coming week, for the dashboard
                birthday = _birthday_in(now, days=index % 7, lunar=index % 8 == 4)
            clients.save_contact(owner, client, None, {
                "name": person, "position": POSITIONS[(index + n) % len(POSITIONS)],
                "mobile": f"+86139{rng.randrange(10**8):08d}",
                "email": f"contact{index}{n}@example.cn", "is_key_person": n == 0, **birthday}, now)
        for n in range(rng.randint(1, 4)):
            timeline.record_interaction(owner, client, {
                "kind": rng.choice(["visit", "callback", "communication"]), "channel": "phone",
                "occurred_at": now - timedelta(days=rng.randint(1, 90), hours=n),
                "content": rng.choice(NOTES), "satisfaction": rng.randint(3, 5)}, now)
        if index % 5:
            timeline.record_event(owner, client, {
                "kind": "sale", "occurred_at": now - timedelta(days=rng.randint(10, 200)),
                "product": "年度维保套餐", "high_end": index % 3 == 0,
                "amount": Decimal(rng.choice([3800, 8600, 12000, 26000, 58000]))}, now)
        clients.set_labels(owner, client, {
            "group": [DEMO_GROUPS[index % len(DEMO_GROUPS)]],
            "tag": [DEMO_TAGS[index % len(DEMO_TAGS)]] if index % 3 == 0 else []}, now)
        clients.update_fields(director, client, {
            "banks": "中国工商银行" if index % 2 else "招商银行", "payment_attitude": "按期付款",
            "decision_makers": "总经理、采购部经理"}, confidential=True, now=now)
    count = db.session.scalar(sa.select(sa.func.count(Client.id)))
    return _("已载入 %(count)s 家演示客户及其联系人和交流记录。", count=count)


def _birthday_in(now, days: int, lunar: bool) -> dict:
    """A birthday `days` days after today (Shanghai), kept solar or lunar."""

    from lunar_python import Solar  # noqa: PLC0415 (only when lunar dates are computed)


    day = now.astimezone(local_zone()).date() + timedelta(days=days)
    if not lunar:
        return {"birthday_calendar": "solar", "birth_month": day.month, "birth_day": day.day}
    date_in_lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
    return {"birthday_calendar": "lunar", "birth_month": abs(date_in_lunar.getMonth()),
            "birth_day": date_in_lunar.getDay(), "birthday_leap_month": date_in_lunar.getMonth() < 0}
