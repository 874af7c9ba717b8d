"""Shapes of input for service cases (people and contacts are set by the routes)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from crmweb.cases.labels import CAUSES, KINDS, SEVERITIES, UNITS
from crmweb.clients.labels import CHANNEL, TIER
from crmweb.forms import Form, IdField
from crmweb.ids import coerce_id


def _choices(labels: dict, blank: str | None = None) -> list[SelectChoice]:
    return [SelectChoice("", blank)] * (blank is not None) + [
        SelectChoice(code, label) for code, label in labels.items()
    ]


def _optional_id(value):
    return int(value) if value not in (None, "") else None


class CaseForm(Form):
    client_id = IdField(_l("客户"), validators=[DataRequired(_l("请选择客户。"))])
    kind = SelectField(_l("类别"), choices=_choices(KINDS))
    channel = SelectField(_l("渠道"), choices=_choices(CHANNEL), default="phone")
    contact_id = SelectField(_l("联系人"), coerce=_optional_id, validate_choice=False)
    severity = SelectField(_l("严重程度"), choices=_choices(SEVERITIES), default="normal")
    cause = SelectField(_l("投诉原因"), choices=_choices(CAUSES, "—"), default="")
    product = StringField(_l("产品"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("情况"), validators=[DataRequired(_l("请写明情况。")), Length(max=2000)])


class NoteForm(Form):
    text = TextAreaField(_l("内容"), validators=[DataRequired(_l("请填写内容。")), Length(max=2000)])
    to_client = BooleanField(_l("这是给客户的回复（记入客户时间线）"))
    channel = SelectField(_l("回复方式"), choices=_choices(CHANNEL), default="phone")


class AssignForm(Form):
    owner_id = SelectField(_l("交给"), coerce=coerce_id)


class ReasonForm(Form):
    reason = StringField(_l("升级理由"), validators=[DataRequired(_l("升级须说明理由。")), Length(max=300)])


class ResolveForm(Form):
    resolution = TextAreaField(
        _l("处理结果"), validators=[DataRequired(_l("请写明处理结果。")), Length(max=2000)]
    )


class DeadlineForm(Form):
    kind = SelectField(_l("类别"), choices=_choices(KINDS))
    severity = SelectField(_l("严重程度"), choices=_choices(SEVERITIES, _l("任何")), default="")
    tier = SelectField(_l("客户等级"), choices=_choices(TIER, _l("任何")), default="")
    response_amount = IntegerField(
        _l("首次响应"),
        validators=[
            InputRequired(_l("请填写时限。")),
            NumberRange(min=1, max=999, message=_l("时限为 1 到 999。")),
        ],
    )
    response_unit = SelectField(_l("单位"), choices=_choices(UNITS))
    resolution_amount = IntegerField(
        _l("解决"),
        validators=[
            InputRequired(_l("请填写时限。")),
            NumberRange(min=1, max=999, message=_l("时限为 1 到 999。")),
        ],
    )
    resolution_unit = SelectField(_l("单位"), choices=_choices(UNITS), default="days")


class CaseSettingsForm(Form):
    working_hours = StringField(
        _l("工作时间（如 09:00-12:00,13:30-18:00）"),
        validators=[DataRequired(_l("请填写工作时间。")), Length(max=100)],
    )
    warn_minutes = IntegerField(
        _l("距期限多少工作分钟内提醒"),
        validators=[
            InputRequired(_l("请填写分钟数。")),
            NumberRange(min=0, max=2000, message=_l("为 0 到 2000。")),
        ],
    )
    confirm_least = IntegerField(
        _l("客户满意度达到几分算解决（1–5）"),
        validators=[InputRequired(_l("请填写分数。")), NumberRange(min=1, max=5, message=_l("为 1 到 5。"))],
    )
