"""Shapes of input for messages (choices are set by the routes)."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from crmweb.clients.labels import TIER
from crmweb.forms import Form
from crmweb.ids import coerce_id
from crmweb.messages import rules
from crmweb.messages.labels import CHANNELS


class TemplateForm(Form):
    name = StringField(_l("名称"), validators=[DataRequired(_l("请填写模板名称。")), Length(max=64)])
    channel = SelectField(_l("渠道"), choices=[SelectChoice(code, label) for code, label in CHANNELS.items()])
    subject = StringField(_l("邮件标题"), validators=[Optional(), Length(max=200)])
    body = TextAreaField(_l("内容"), validators=[DataRequired(_l("请填写内容。")), Length(max=2000)])
    provider_template = StringField(_l("短信平台模板编号"), validators=[Optional(), Length(max=64)])
    provider_params = StringField(_l("模板参数（参数名=占位符，逗号分隔）"),
                                  validators=[Optional(), Length(max=200)])

    def validate_body(self, field):
        unknown = rules.unknown_placeholders(field.data)
        if unknown:
            raise ValidationError(_l("不认识的占位符：%(names)s。可用：%(known)s",
                                     names="、".join(unknown), known="、".join(rules.PLACEHOLDERS)))


class SendForm(Form):
    template_id = SelectField(_l("模板"), coerce=coerce_id)
    q = StringField(_l("客户（名称、拼音、手机号）"), validators=[Optional(), Length(max=100)])
    tier = SelectField(_l("等级"), default="")
    vip = SelectField(_l("VIP"), default="")
    label_id = SelectField(_l("分组或标签"), coerce=lambda v: int(v) if v else None, validate_choice=False)
    birthday_from = DateField(_l("生日在（起）"), validators=[Optional()])
    birthday_to = DateField(_l("生日在（止）"), validators=[Optional()])
    scheduled_at = DateTimeLocalField(_l("定时发送（留空立即发送）"), format="%Y-%m-%dT%H:%M",
                                      validators=[Optional()])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        first, last = self.birthday_from.data, self.birthday_to.data
        if bool(first) != bool(last) or (first and last and not 0 <= (last - first).days < 366):
            self.birthday_to.errors = [*self.birthday_to.errors, _l("生日范围须填起止两天，且不超过一年。")]
            return False
        return valid


class GreetingForm(Form):
    name = StringField(_l("名称"), validators=[DataRequired(_l("请填写名称。")), Length(max=64)])
    kind = SelectField(_l("什么日子"), choices=[SelectChoice("birthday", _l("联系人生日（公历或农历）")),
                                               SelectChoice("festival", _l("节日")),
                                               SelectChoice("date", _l("每年固定日期")),
                                               SelectChoice("founding", _l("客户成立纪念日"))])
    festival = SelectField(_l("节日"), choices=[SelectChoice(name, name) for name in rules.FESTIVALS])
    month = IntegerField(_l("月"), validators=[
        Optional(), NumberRange(min=1, max=12, message=_l("月为 1 到 12。"))])
    day = IntegerField(_l("日"), validators=[
        Optional(), NumberRange(min=1, max=31, message=_l("日为 1 到 31。"))])
    tiers = SelectMultipleField(_l("客户等级（不选为全部）"),
                                choices=[SelectChoice(code, label) for code, label in TIER.items()],
                                option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))
    vip_only = BooleanField(_l("只发给 VIP 客户"))
    label_id = SelectField(_l("只发给分组或标签"), coerce=lambda v: int(v) if v else None,
                           validate_choice=False)
    template_id = SelectField(_l("模板"), coerce=coerce_id)
    days_before = IntegerField(_l("提前几天发"), default=0, validators=[
        InputRequired(_l("请填写天数。")), NumberRange(min=0, max=30, message=_l("天数为 0 到 30。"))])
    send_time = TimeField(_l("发送时间"), default=None, validators=[DataRequired(_l("请填写发送时间。"))])
    active = BooleanField(_l("启用"), default=True)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # Beside the month, also when both were left empty (Optional stops a field's own checks).
        if self.kind.data == "date" and not (self.month.data and self.day.data):
            self.month.errors = [*self.month.errors, _l("固定日期须填写月和日。")]
            return False
        return valid


class UnsubscribeForm(Form):
    """Only the CSRF token: the link says who and which channel."""


class TestMessageForm(Form):
    channel = SelectField(_l("渠道"), choices=[SelectChoice(code, label) for code, label in CHANNELS.items()])
    recipient = StringField(_l("手机号或邮箱"), validators=[
        DataRequired(_l("请填写手机号或邮箱。")), Length(max=254)])
