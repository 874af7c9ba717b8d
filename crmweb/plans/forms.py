"""Shapes of input for maintenance plans (people, clients and groups are set by the routes)."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    DecimalField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from crmweb.forms import Form, IdField
from crmweb.ids import coerce_id
from crmweb.plans.labels import COMMENTED_FIELDS, LEVELS, METHODS


def _optional_id(value):
    return int(value) if value not in (None, "") else None


class PlanForm(Form):
    title = StringField(_l("方案名称"), validators=[DataRequired(_l("请填写方案名称。")), Length(max=100)])
    client_id = IdField(_l("客户"), validators=[Optional()])
    label_id = SelectField(_l("或客户分组"), coerce=_optional_id)
    goals = TextAreaField(_l("维护目标"), validators=[DataRequired(_l("请填写维护目标。")), Length(max=2000)])
    methods = SelectMultipleField(
        _l("维护方式"),
        choices=[SelectChoice(code, label) for code, label in METHODS.items()],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )
    measures = TextAreaField(_l("具体措施"), validators=[Optional(), Length(max=2000)])
    people = StringField(_l("人员"), validators=[Optional(), Length(max=200)])
    budget = DecimalField(
        _l("预算（元）"),
        places=2,
        default=0,
        validators=[Optional(), NumberRange(min=0, max=999999999, message=_l("预算为 0 到 999999999。"))],
    )
    starts_on = DateField(_l("开始日期"), validators=[DataRequired(_l("请填写开始日期。"))])
    ends_on = DateField(_l("结束日期"), validators=[DataRequired(_l("请填写结束日期。"))])

    def values(self) -> dict:
        return {
            "title": self.title.data.strip(),
            "client_id": self.client_id.data,
            "label_id": self.label_id.data,
            "goals": self.goals.data.strip(),
            "methods": ",".join(self.methods.data or []),
            "measures": (self.measures.data or "").strip(),
            "people": (self.people.data or "").strip(),
            "budget": self.budget.data or 0,
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
        }


class LevelForm(Form):
    level = SelectField(_l("层级"), choices=[SelectChoice(code, label) for code, label in LEVELS.items()])
    person = StringField(_l("姓名"), validators=[Optional(), Length(max=64)])
    influence = StringField(_l("影响力"), validators=[Optional(), Length(max=200)])
    competitor_relation = StringField(_l("与主要竞争对手的关系"), validators=[Optional(), Length(max=200)])
    our_person_id = SelectField(_l("我方负责人"), coerce=_optional_id, validate_choice=False)
    measures = StringField(_l("措施"), validators=[Optional(), Length(max=200)])
    schedule = StringField(_l("时间安排"), validators=[Optional(), Length(max=200)])
    notes = StringField(_l("备注"), validators=[Optional(), Length(max=200)])


class StepForm(Form):
    comment = TextAreaField(_l("意见"), validators=[Optional(), Length(max=1000)])


def _comment_on(field: str) -> StringField:
    return StringField(
        _l("对“%(field)s”的意见", field=COMMENTED_FIELDS[field]), validators=[Optional(), Length(max=300)]
    )


class ReturnForm(StepForm):
    """A comment per field, kept beside it until the plan is resubmitted."""

    on_goals = _comment_on("goals")
    on_methods = _comment_on("methods")
    on_measures = _comment_on("measures")
    on_people = _comment_on("people")
    on_budget = _comment_on("budget")

    def comments(self) -> dict:
        return {name: self[f"on_{name}"].data or "" for name in COMMENTED_FIELDS if name}


class CloseForm(Form):
    achievements = TextAreaField(
        _l("取得的成果"), validators=[DataRequired(_l("请写明取得的成果。")), Length(max=2000)]
    )
    problems = TextAreaField(_l("问题与风险"), validators=[Optional(), Length(max=2000)])
    improvements = TextAreaField(_l("改进措施"), validators=[Optional(), Length(max=2000)])
    next_steps = TextAreaField(_l("下一步"), validators=[Optional(), Length(max=2000)])


class TaskForm(Form):
    title = StringField(_l("任务"), validators=[DataRequired(_l("请填写任务。")), Length(max=200)])
    assignee_id = SelectField(_l("负责人"), coerce=coerce_id)
    due_on = DateField(_l("完成期限"), validators=[DataRequired(_l("请填写完成期限。"))])


class FeedbackForm(Form):
    feedback = TextAreaField(
        _l("完成情况"), validators=[DataRequired(_l("请写下任务的完成情况。")), Length(max=2000)]
    )


class ProgressForm(Form):
    text = TextAreaField(
        _l("本周进展"), validators=[DataRequired(_l("请写下本周的进展。")), Length(max=2000)]
    )
