"""Shapes of input for messages (choices are set by the routes)."""
from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

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
    scheduled_at = DateTimeLocalField(_l("定时发送（留空立即发送）"), format="%Y-%m-%dT%H:%M",
                                      validators=[Optional()])
