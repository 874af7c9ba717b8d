"""Shape of a contract as typed."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DecimalField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from crmweb.forms import Form


class ContractForm(Form):
    number = StringField(_l("合同编号"), validators=[DataRequired(_l("请填写合同编号。")), Length(max=40)])
    title = StringField(_l("合同名称"), validators=[DataRequired(_l("请填写合同名称。")), Length(max=100)])
    amount = DecimalField(
        _l("合同金额（元）"),
        places=2,
        validators=[
            Optional(),
            NumberRange(min=0, max=999999999999, message=_l("金额为 0 到 999999999999。")),
        ],
    )
    signing_due_on = DateField(_l("客户须签约日期"), validators=[Optional()])
    signed_on = DateField(_l("签订日期"), validators=[Optional()])
    starts_on = DateField(_l("开始日期"), validators=[Optional()])
    ends_on = DateField(_l("到期日期"), validators=[Optional()])
    renewal_notice_days = IntegerField(
        _l("续约通知期（天）"),
        default=30,
        validators=[
            InputRequired(_l("请填写续约通知期。")),
            NumberRange(min=0, max=3650, message=_l("续约通知期为 0 到 3650 天。")),
        ],
    )
    notes = TextAreaField(_l("备注"), validators=[Optional(), Length(max=500)])

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("到期日期不能早于开始日期。"))

    def values(self) -> dict:
        return {
            "number": self.number.data.strip(),
            "title": self.title.data.strip(),
            "amount": self.amount.data,
            "signing_due_on": self.signing_due_on.data,
            "signed_on": self.signed_on.data,
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
            "renewal_notice_days": self.renewal_notice_days.data,
            "notes": (self.notes.data or "").strip(),
        }
