"""Shapes of input for the gift catalogue."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DecimalField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from crmweb.forms import Form
from crmweb.gifts.labels import KINDS


class GiftForm(Form):
    name = StringField(_l("名称"), validators=[DataRequired(_l("请填写礼品名称。")), Length(max=100)])
    kind = SelectField(_l("类别"), choices=[SelectChoice(code, label) for code, label in KINDS.items()])
    unit_value = DecimalField(_l("单价（元）"), places=2, validators=[
        InputRequired(_l("请填写单价。")),
        NumberRange(min=0, max=9_999_999, message=_l("单价为 0 到 999 万元。"))])
    supplier = StringField(_l("供应商"), validators=[Optional(), Length(max=200)])
    low_level = IntegerField(_l("可用数量低于此数时提醒"), default=10, validators=[
        InputRequired(_l("请填写提醒数量。")),
        NumberRange(min=0, max=100_000, message=_l("提醒数量为 0 到 10 万。"))])
    active = BooleanField(_l("在用"), default=True)


class StockForm(Form):
    quantity = IntegerField(_l("数量"), validators=[
        InputRequired(_l("请填写数量。")),
        NumberRange(min=0, max=100_000, message=_l("数量为 0 到 10 万。"))])
    reason = StringField(_l("说明"), validators=[Optional(), Length(max=200)])
