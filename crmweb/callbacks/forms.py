"""Shapes of input for callbacks (no database queries here: people are set by the routes)."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from crmweb.bookings.forms import LOCAL_MINUTE
from crmweb.callbacks.labels import CONTENT_TYPES, METHODS, OUTCOMES, UNITS
from crmweb.clients.labels import EVENT_KIND, STAGE, TIER
from crmweb.forms import Form
from crmweb.ids import coerce_id


def _choices(labels: dict, blank: str | None = None) -> list[SelectChoice]:
    return [SelectChoice("", blank)] * (blank is not None) + [
        SelectChoice(code, label) for code, label in labels.items()]


def _optional_id(value):
    return int(value) if value not in (None, "") else None


class ResultForm(Form):
    outcome = RadioField(_l("回访结果"), choices=_choices(OUTCOMES), validators=[
        InputRequired(_l("请选择回访结果。"))])
    satisfaction = SelectField(_l("满意度"), coerce=_optional_id, choices=[SelectChoice("", "—")] + [
        SelectChoice(score, str(score)) for score in range(5, 0, -1)])
    needs = TextAreaField(_l("客户需求"), validators=[Optional(), Length(max=1000)])
    notes = TextAreaField(_l("回访记录"), validators=[Optional(), Length(max=2000)])
    follow_up_on = DateField(_l("下次跟进日期"), validators=[Optional()])
    call_at = DateTimeLocalField(_l("客户约定的回访时间"), format=LOCAL_MINUTE, validators=[Optional()])


class RescheduleForm(Form):
    day = DateField(_l("改到哪天"), validators=[DataRequired(_l("请填写日期。"))])
    reason = StringField(_l("改期理由"), validators=[DataRequired(_l("改期须说明理由。")), Length(max=200)])


class AssignForm(Form):
    assignee_id = SelectField(_l("交给"), coerce=coerce_id)


class RuleForm(Form):
    event_kind = SelectField(_l("事件"), choices=_choices(EVENT_KIND))
    starts_after = IntegerField(_l("事件后（起）"), validators=[
        InputRequired(_l("请填写时间。")), NumberRange(min=0, max=400, message=_l("为 0 到 400。"))])
    ends_after = IntegerField(_l("至（止）"), validators=[
        InputRequired(_l("请填写时间。")), NumberRange(min=0, max=400, message=_l("为 0 到 400。"))])
    unit = SelectField(_l("单位"), choices=_choices(UNITS))
    content_type = SelectField(_l("回访内容"), choices=_choices(CONTENT_TYPES))
    purpose = StringField(_l("回访目的"), validators=[DataRequired(_l("请填写回访目的。")), Length(max=200)])
    assignee_id = SelectField(_l("回访人"), coerce=_optional_id, validate_choice=False)
    active = BooleanField(_l("启用"), default=True)


class CallbackSettingsForm(Form):
    max_tries = IntegerField(_l("无人接听时最多打几次（每次隔一个工作日）"), validators=[
        InputRequired(_l("请填写次数。")), NumberRange(min=1, max=10, message=_l("次数为 1 到 10。"))])
    company_name = StringField(_l("问候语中的公司名称"), validators=[
        DataRequired(_l("请填写公司名称。")), Length(max=60)])


class CampaignForm(Form):
    name = StringField(_l("活动名称"), validators=[DataRequired(_l("请填写活动名称。")), Length(max=100)])
    method = SelectField(_l("选择方法"), choices=_choices(METHODS))
    figure = IntegerField(_l("数量 / 满意度低于 / 天数"), validators=[
        InputRequired(_l("请填写数值。")), NumberRange(min=1, max=2000, message=_l("数值为 1 到 2000。"))])
    tier = SelectField(_l("等级"), choices=_choices(TIER, "—"), default="")
    stage = SelectField(_l("阶段"), choices=_choices({k: v for k, v in STAGE.items() if k != "lost"}, "—"),
                        default="")
    content_type = SelectField(_l("回访内容"), choices=_choices(CONTENT_TYPES))
    purpose = StringField(_l("回访目的"), validators=[DataRequired(_l("请填写回访目的。")), Length(max=200)])
    opens_on = DateField(_l("开始日期"), validators=[DataRequired(_l("请填写开始日期。"))])
    closes_on = DateField(_l("结束日期"), validators=[DataRequired(_l("请填写结束日期。"))])
    assignee_ids = SelectMultipleField(_l("回访人（不选则由各客户的负责人回访）"), coerce=int)
