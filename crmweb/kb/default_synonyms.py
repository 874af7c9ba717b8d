"""The synonym list a new installation starts with: everyday words of after-sales service.

Managers keep the list on /kb/synonyms; these are only its first lines. One group a line.
"""
DEFAULT_SYNONYMS = """
报修 = 维修 = 修理 = 检修
发票 = 开票 = 专票 = 增值税专用发票 = 普票
退货 = 退换 = 退换货 = 退款
换货 = 更换
送货 = 配送 = 送货上门 = 送到家
安装 = 装机 = 调试
不制冷 = 不凉 = 制冷差 = 不冷
不制热 = 不热 = 制热差
不脱水 = 甩不干 = 脱水不干
不排水 = 排水慢 = 积水
漏水 = 渗水 = 滴水
异响 = 噪音大 = 声音大 = 响声大
省电 = 节能 = 节电 = 耗电少
耗电 = 费电 = 电费高
清洗 = 清洁 = 保养
保修 = 质保 = 三包 = 保修期
延保 = 延长保修
投诉 = 抱怨 = 不满
情绪激动 = 发火 = 生气 = 发脾气
安抚 = 平息 = 调解
会员 = 会员卡 = VIP
丢失 = 丢了 = 遗失 = 不见了 = 找不到
失物 = 丢失物品 = 遗失物品
预约 = 预定 = 提前申请
参观 = 来访 = 考察
拍照 = 拍摄 = 摄影 = 照相
停车 = 泊车 = 车位
班车 = 接驳车 = 免费巴士
付款 = 支付 = 结算 = 付钱
转账 = 汇款
建议 = 提案 = 意见
通知 = 告知 = 提醒
新产品 = 新品
备份 = 数据备份
导入 = 导进
分级 = 分类 = 评级
流失 = 不再购买 = 转投竞争对手
遥控器 = 遥控
没反应 = 无反应 = 失灵 = 不灵
结霜 = 结冰
话术 = 说法 = 开场白
礼品 = 礼物 = 赠品 = 纪念品
审批 = 批准 = 审核
超时 = 超过约定时间 = 迟到 = 延误
冰袋 = 保温袋 = 冰块
吸力小 = 吸力弱 = 抽不动
热水器 = 热水炉
油烟机 = 抽油烟机 = 吸油烟机
扫地机 = 扫地机器人
净水器 = 净水机
"""


def default_groups() -> list[str]:
    return [line.strip() for line in DEFAULT_SYNONYMS.strip().splitlines() if line.strip()]
