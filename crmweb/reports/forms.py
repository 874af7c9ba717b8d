"""Shapes of input for evaluation (the routes fill the indicators of the form in use)."""

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, FieldList, FormField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.form import Form as PlainForm
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from crmweb.forms import Form
from crmweb.reports.labels import ADVICE, SOURCES
from crmweb.reports.rules import Grade

INDICATOR_ROWS = 10


def _advice_choices() -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in ADVICE.items()]


class IndicatorRow(PlainForm):
    """One line of the form; a line without a name is left out."""

    name = StringField(_l("指标"), validators=[Optional(), Length(max=64)])
    weight = DecimalField(
        _l("权重"),
        places=2,
        validators=[Optional(), NumberRange(min=0.01, max=999, message=_l("权重为 0.01 到 999。"))],
    )
    source = SelectField(
        _l("建议分来源"), choices=[SelectChoice(code, label) for code, label in SOURCES.items()], default=""
    )
    guidance = StringField(_l("打分说明"), validators=[Optional(), Length(max=300)])


class IndicatorSetForm(Form):
    name = StringField(_l("评估表名称"), validators=[DataRequired(_l("请填写名称。")), Length(max=100)])
    threshold_a = DecimalField(_l("A 级分数线"), places=1, validators=[InputRequired(_l("请填写分数线。"))])
    threshold_b = DecimalField(_l("B 级分数线"), places=1, validators=[InputRequired(_l("请填写分数线。"))])
    threshold_c = DecimalField(_l("C 级分数线"), places=1, validators=[InputRequired(_l("请填写分数线。"))])
    advice_a = SelectField(_l("A 级建议"), choices=_advice_choices, default="maintain")
    advice_b = SelectField(_l("B 级建议"), choices=_advice_choices, default="maintain")
    advice_c = SelectField(_l("C 级建议"), choices=_advice_choices, default="improve")
    advice_d = SelectField(_l("D 级建议"), choices=_advice_choices, default="end")
    indicators = FieldList(FormField(IndicatorRow), min_entries=INDICATOR_ROWS, max_entries=INDICATOR_ROWS)

    def rows(self) -> list[dict]:
        """The named lines; a named line needs its weight."""
        rows = []
        for entry in self.indicators:
            if not (entry.form.name.data or "").strip():
                continue
            if entry.form.weight.data is None:
                entry.form.weight.errors = [_l("请填写权重。")]
                continue
            rows.append(
                {
                    "name": entry.form.name.data.strip(),
                    "weight": entry.form.weight.data,
                    "source": entry.form.source.data or "",
                    "guidance": (entry.form.guidance.data or "").strip(),
                }
            )
        return rows

    def advice(self) -> dict[str, str]:
        return {grade: self[f"advice_{grade.lower()}"].data for grade in Grade}


class EvaluationForm(Form):
    """Scores arrive as score-<indicator id> and basis-<indicator id> (the form in use decides which)."""

    advice = SelectField(_l("建议"), choices=_advice_choices, validators=[Optional()])
    override_reason = StringField(_l("不按等级建议的理由"), validators=[Optional(), Length(max=300)])
