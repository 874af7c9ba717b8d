"""Shapes of input for activities (people, plans, templates and groups are set by the routes)."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from crmweb.activities.labels import KINDS
from crmweb.activities.rules import Answer, Kind
from crmweb.bookings.forms import LOCAL_MINUTE
from crmweb.forms import Form, IdField
from crmweb.ids import coerce_id


def _optional_id(value):
    return int(value) if value not in (None, "") else None


class ActivityForm(Form):
    kind = SelectField(_l("活动类型"), choices=[SelectChoice(code, label) for code, label in KINDS.items()])
    title = StringField(_l("活动名称"), validators=[DataRequired(_l("请填写活动名称。")), Length(max=100)])
    starts_at = DateTimeLocalField(
        _l("开始时间"), format=LOCAL_MINUTE, validators=[DataRequired(_l("请填写开始时间。"))]
    )
    ends_at = DateTimeLocalField(
        _l("结束时间"), format=LOCAL_MINUTE, validators=[DataRequired(_l("请填写结束时间。"))]
    )
    place = StringField(_l("地点"), validators=[DataRequired(_l("请填写地点。")), Length(max=200)])
    capacity = IntegerField(
        _l("名额"),
        validators=[
            InputRequired(_l("请填写名额。")),
            NumberRange(min=1, max=100000, message=_l("名额为 1 到 100000。")),
        ],
    )
    budget = DecimalField(
        _l("预算（元）"),
        places=2,
        default=0,
        validators=[Optional(), NumberRange(min=0, max=999999999, message=_l("预算为 0 到 999999999。"))],
    )
    purpose = TextAreaField(_l("目的"), validators=[Optional(), Length(max=2000)])
    organiser_ids = SelectMultipleField(_l("负责人"), coerce=int)
    plan_id = SelectField(_l("所属维护方案"), coerce=_optional_id, validate_choice=False)
    product = StringField(_l("试用产品（新品试用）"), validators=[Optional(), Length(max=100)])
    feedback_due_on = DateField(_l("反馈截止日期（新品试用）"), validators=[Optional()])

    def validate_ends_at(self, field):
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("结束时间须晚于开始时间。"))

    def validate(self, extra_validators=None):
        """A trial names its product and the day its feedback is due (checked here: Optional()
        would skip a field's own check when it is empty)."""
        valid = super().validate(extra_validators)
        if self.kind.data == Kind.TRIAL:
            if not (self.product.data or "").strip():
                self.product.errors = [*self.product.errors, _l("新品试用须写明试用的产品。")]
                valid = False
            if not self.feedback_due_on.data:
                self.feedback_due_on.errors = [*self.feedback_due_on.errors, _l("新品试用须定反馈截止日期。")]
                valid = False
        return valid


class InviteForm(Form):
    template_id = SelectField(_l("邀请模板"), coerce=coerce_id)
    q = StringField(_l("客户（名称、拼音、手机号）"), validators=[Optional(), Length(max=100)])
    tier = SelectField(_l("等级"), default="")
    vip = SelectField(_l("VIP"), default="")
    label_id = SelectField(_l("分组或标签"), coerce=_optional_id, validate_choice=False)
    key_people_only = BooleanField(_l("只邀请关键联系人"), default=True)


class AnswerForm(Form):
    answer = RadioField(
        _l("您的答复"),
        choices=[SelectChoice(Answer.ACCEPT, _l("参加")), SelectChoice(Answer.DECLINE, _l("不参加"))],
        validators=[InputRequired(_l("请选择是否参加。"))],
    )


class FeedbackForm(Form):
    rating = RadioField(
        _l("总体评价"),
        coerce=int,
        choices=[SelectChoice(n, str(n)) for n in range(5, 0, -1)],
        validators=[InputRequired(_l("请选择 1 到 5 分。"))],
    )
    feedback = TextAreaField(_l("意见和建议"), validators=[Optional(), Length(max=2000)])
    interested = BooleanField(_l("希望进一步了解（我们会与您联系）"))


class CostForm(Form):
    item = StringField(_l("费用项目"), validators=[DataRequired(_l("请填写费用项目。")), Length(max=100)])
    amount = DecimalField(
        _l("金额（元）"),
        places=2,
        validators=[
            InputRequired(_l("请填写金额。")),
            NumberRange(min=0, max=999999999, message=_l("金额为 0 到 999999999。")),
        ],
    )


class CheckInForm(Form):
    code = StringField(
        _l("通行证编号"), validators=[DataRequired(_l("请输入或扫描通行证编号。")), Length(max=32)]
    )


class WalkInForm(Form):
    name = StringField(_l("姓名"), validators=[DataRequired(_l("请填写姓名。")), Length(max=50)])
    client_id = IdField(_l("所在客户"), validators=[Optional()])
