"""Shapes of input for the working calendar."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from crmweb.forms import Form


class CalendarDayForm(Form):
    day = DateField(_l("日期"), validators=[DataRequired(_l("请选择日期。"))])
    kind = SelectField(_l("这一天"), choices=[SelectChoice("holiday", _l("放假")),
                                            SelectChoice("workday", _l("调休上班")),
                                            SelectChoice("", _l("按星期（取消特殊安排）"))])
    name = StringField(_l("名称"), validators=[Optional(), Length(max=64)])


class ConfirmYearForm(Form):
    """Only the CSRF token."""
