"""Shapes of input for the gift catalogue."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, DecimalField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from crmweb.clients.labels import TIER
from crmweb.forms import Form, IdField
from crmweb.gifts.labels import CATEGORIES, KINDS
from crmweb.ids import coerce_id
from crmweb.messages.rules import FESTIVALS


class GiftForm(Form):
    name = StringField(_l("名称"), validators=[DataRequired(_l("请填写礼品名称。")), Length(max=100)])
    kind = SelectField(_l("类别"), choices=[SelectChoice(code, label) for code, label in KINDS.items()])
    unit_value = DecimalField(
        _l("单价（元）"),
        places=2,
        validators=[
            InputRequired(_l("请填写单价。")),
            NumberRange(min=0, max=9_999_999, message=_l("单价为 0 到 999 万元。")),
        ],
    )
    supplier = StringField(_l("供应商"), validators=[Optional(), Length(max=200)])
    low_level = IntegerField(
        _l("可用数量低于此数时提醒"),
        default=10,
        validators=[
            InputRequired(_l("请填写提醒数量。")),
            NumberRange(min=0, max=100_000, message=_l("提醒数量为 0 到 10 万。")),
        ],
    )
    active = BooleanField(_l("在用"), default=True)


class StockForm(Form):
    quantity = IntegerField(
        _l("数量"),
        validators=[
            InputRequired(_l("请填写数量。")),
            NumberRange(min=0, max=100_000, message=_l("数量为 0 到 10 万。")),
        ],
    )
    reason = StringField(_l("说明"), validators=[Optional(), Length(max=200)])


class CampaignForm(Form):
    name = StringField(_l("名称"), validators=[DataRequired(_l("请填写活动名称。")), Length(max=100)])
    festival = SelectField(
        _l("从节日开始（可选）"),
        default="",
        choices=[SelectChoice("", "—")] + [SelectChoice(name, name) for name in FESTIVALS],
    )
    starts_on = DateField(_l("开始日期"), validators=[Optional()])
    ends_on = DateField(_l("结束日期"), validators=[Optional()])
    budget = DecimalField(
        _l("预算（元）"),
        places=2,
        validators=[
            InputRequired(_l("请填写预算。")),
            NumberRange(min=0, max=999_999_999, message=_l("预算为 0 到 9.99 亿元。")),
        ],
    )
    prospect_cap = DecimalField(
        _l("意向客户：每份上限（元）"), places=2, default=0, validators=[Optional(), NumberRange(min=0)]
    )
    prospect_quota = IntegerField(
        _l("意向客户：名额"), default=0, validators=[Optional(), NumberRange(min=0, max=100_000)]
    )
    vip_cap = DecimalField(
        _l("VIP 客户：每份上限（元）"), places=2, default=0, validators=[Optional(), NumberRange(min=0)]
    )
    vip_quota = IntegerField(
        _l("VIP 客户：名额"), default=0, validators=[Optional(), NumberRange(min=0, max=100_000)]
    )
    key_cap = DecimalField(
        _l("重点客户：每份上限（元）"), places=2, default=0, validators=[Optional(), NumberRange(min=0)]
    )
    key_quota = IntegerField(
        _l("重点客户：名额"), default=0, validators=[Optional(), NumberRange(min=0, max=100_000)]
    )

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not self.festival.data and not (self.starts_on.data and self.ends_on.data):
            self.starts_on.errors = [*self.starts_on.errors, _l("请填写起止日期，或选一个节日。")]
            return False
        if self.starts_on.data and self.ends_on.data and self.ends_on.data < self.starts_on.data:
            self.ends_on.errors = [*self.ends_on.errors, _l("结束日期不能早于开始日期。")]
            return False
        return valid


class AllocationForm(Form):
    client_id = IdField(_l("客户"), validators=[DataRequired(_l("请选择客户。"))])
    gift_id = SelectField(_l("礼品"), coerce=coerce_id)
    quantity = IntegerField(
        _l("数量"),
        default=1,
        validators=[
            InputRequired(_l("请填写数量。")),
            NumberRange(min=1, max=1000, message=_l("数量为 1 到 1000。")),
        ],
    )
    category = SelectField(
        _l("类别（默认按档案）"),
        default="",
        choices=[SelectChoice("", _l("按档案"))]
        + [SelectChoice(c, label) for c, label in CATEGORIES.items()],
    )
    override_reason = StringField(_l("指定类别的理由"), validators=[Optional(), Length(max=200)])


class ListDecisionForm(Form):
    comment = StringField(_l("意见"), validators=[Optional(), Length(max=300)])


class SendGiftForm(Form):
    delivery = StringField(_l("发放方式"), validators=[Optional(), Length(max=100)])
    # A message template's id: the greeting that goes with the gift, if any.
    greeting_id = SelectField(_l("同时发送问候"), coerce=lambda v: int(v) if v else None)


class SouvenirForm(Form):
    gift_id = SelectField(_l("参观纪念品（每位来访者一份，从库存领用）"), coerce=int)


class BulkAllocationForm(Form):
    q = StringField(_l("客户搜索"), validators=[Optional(), Length(max=100)])
    tier = SelectField(
        _l("等级"),
        default="",
        choices=[SelectChoice("", "—")] + [SelectChoice(code, label) for code, label in TIER.items()],
    )
    label_id = SelectField(_l("分组或标签"), coerce=lambda v: int(v) if v else None, validate_choice=False)
    gift_id = SelectField(_l("礼品"), coerce=coerce_id)
    quantity = IntegerField(
        _l("每人数量"),
        default=1,
        validators=[
            InputRequired(_l("请填写数量。")),
            NumberRange(min=1, max=1000, message=_l("数量为 1 到 1000。")),
        ],
    )
