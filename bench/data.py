"""Synthetic but realistic archives for the benchmarks: Chinese company and person names, mobiles."""
import random

CITIES = ["北京", "上海", "天津", "重庆", "南京", "苏州", "无锡", "常州", "徐州", "杭州", "宁波", "温州",
          "合肥", "芜湖", "济南", "青岛", "烟台", "郑州", "洛阳", "武汉", "长沙", "广州", "深圳", "东莞",
          "佛山", "厦门", "福州", "成都", "西安", "沈阳", "大连", "长春", "哈尔滨", "昆明", "南宁", "贵阳"]
WORDS = ["华通", "金陵", "恒润", "新锐", "东方", "浦江", "西子", "港城", "讯达", "齐鲁", "海韵", "中原",
         "光谷", "湘江", "天府", "长江", "古城", "闽江", "鹭岛", "珠江", "鹏程", "华南", "南海", "滨海",
         "宏达", "永安", "盛世", "瑞丰", "鑫源", "汇通", "泰和", "嘉禾", "联创", "博远", "正泰", "远大"]
TRADES = ["机械", "电子科技", "纺织", "环保设备", "医疗器械", "物流", "家居用品", "进出口贸易",
          "信息技术", "重工", "食品", "建材", "激光技术", "汽车零部件", "酒店管理", "船舶配套",
          "文化传媒", "茶业"]
SUFFIXES = ["有限公司", "股份有限公司", "集团有限公司", "有限责任公司"]
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖"
            "田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈单仇")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅晓燕志鹏宇婷浩然欣怡子轩雨涵思远"


def company_name(rng: random.Random, n: int) -> str:
    return f"{rng.choice(CITIES)}{rng.choice(WORDS)}{rng.choice(TRADES)}{rng.choice(SUFFIXES)}" + \
        ("" if n < 40000 else f"第{n // 40000}分公司")


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def mobile(n: int) -> str:
    """Unique, valid mainland mobiles: +86 139 followed by 8 digits."""
    return f"+86139{n:08d}"
