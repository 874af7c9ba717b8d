"""Shapes of input for client visits (no database queries here: choices are set by the routes)."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from crmweb.bookings.labels import AREA_LABELS
from crmweb.forms import Form, IdField
from crmweb.ids import coerce_id

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"  # what <input type=datetime-local> sends


def people_choices(users, blank: bool = False) -> list[SelectChoice]:
    """A select of people (hosts, guides); with `blank`, "—" for nobody."""
    return [SelectChoice("", "—")] * blank + [SelectChoice(user.id, user.display_name) for user in users]


class BookingForm(Form):
    client_id = IdField(_l("客户"), validators=[DataRequired(_l("请选择客户。"))])
    room_id = SelectField(_l("会议室"), coerce=coerce_id)
    starts_at = DateTimeLocalField(_l("开始时间"), format=LOCAL_MINUTE,
                                   validators=[DataRequired(_l("请填写开始时间。"))])
    ends_at = DateTimeLocalField(_l("结束时间"), format=LOCAL_MINUTE,
                                 validators=[DataRequired(_l("请填写结束时间。"))])
    visitors = TextAreaField(_l("来访人员（每行一位）"), validators=[
        DataRequired(_l("请填写来访人员，每行一位。")), Length(max=2000)])
    purpose = StringField(_l("参观目的"), validators=[DataRequired(_l("请填写参观目的。")), Length(max=500)])
    areas = SelectMultipleField(_l("参观区域"), default=["showroom"],
                                choices=[SelectChoice(code, label) for code, label in AREA_LABELS.items()],
                                option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))
    host_id = SelectField(_l("接待人"), coerce=coerce_id)
    holiday_allowed = BooleanField(_l("经理特批非工作日参观"))


class PrepareForm(Form):
    guide_id = SelectField(_l("陪同讲解人员"), coerce=lambda v: int(v) if v else None, validate_choice=False)
    needs_analysed = BooleanField(_l("已分析来访目的和需求"))
    rehearsed = BooleanField(_l("已演练介绍内容"))
    meals_arranged = BooleanField(_l("茶点、用餐已按公司标准安排"))
    senior_manager_id = SelectField(_l("陪同的高级管理人员"), coerce=lambda v: int(v) if v else None,
                                    validate_choice=False)
    photography_allowed = BooleanField(_l("特许拍照"))


class CheckInForm(Form):
    code = StringField(_l("通行证编号"), validators=[
        DataRequired(_l("请输入或扫描通行证编号。")), Length(max=32)])


class WalkInForm(Form):
    name = StringField(_l("姓名"), validators=[DataRequired(_l("请填写姓名。")), Length(max=50)])
    company = StringField(_l("单位"), validators=[Optional(), Length(max=200)])
    purpose = StringField(_l("来意"), validators=[Optional(), Length(max=200)])
    host_id = SelectField(_l("找谁"), coerce=lambda v: int(v) if v else None, validate_choice=False)


class RoomForm(Form):
    name = StringField(_l("名称"), validators=[DataRequired(_l("请填写会议室名称。")), Length(max=64)])
    capacity = IntegerField(_l("容纳人数"), validators=[
        DataRequired(_l("请填写容纳人数。")),
        NumberRange(min=1, max=1000, message=_l("容纳人数为 1 到 1000。"))])
    equipment = StringField(_l("设备"), validators=[Optional(), Length(max=200)])


class BookingSettingsForm(Form):
    notice_days = IntegerField(_l("重要客户至少提前几天申请"), validators=[
        InputRequired(_l("请填写天数。")), NumberRange(min=0, max=60, message=_l("天数为 0 到 60。"))])
    small_group = IntegerField(_l("一般客户少于几人不正式接待"), validators=[
        DataRequired(_l("请填写人数。")), NumberRange(min=1, max=200, message=_l("人数为 1 到 200。"))])
    supervisor_approves = BooleanField(_l("主管也可以批准参观"))
