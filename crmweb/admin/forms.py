from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from crmweb.admin.audit_view import action_choices
from crmweb.auth.permissions import ROLES
from crmweb.forms import Form


def _role_choices():
    return [SelectChoice(code, label) for code, label in ROLES.items()]


class NewUserForm(Form):
    username = StringField(_l("用户名"), validators=[
        DataRequired(_l("请输入用户名。")), Length(min=2, max=64, message=_l("用户名长度为 2–64 个字符。")),
        Regexp(r"^[A-Za-z0-9_.-]+$", message=_l("用户名只能包含字母、数字、下划线、点和连字符。"))])
    display_name = StringField(_l("姓名"), validators=[DataRequired(_l("请输入姓名。")),
                                                       Length(max=64)])
    role = SelectField(_l("角色"), choices=_role_choices,
                       validate_choice=True)


class ConfirmForm(Form):
    """Only the CSRF token: a director's confirmation is a button."""


class RoleForm(Form):
    role = SelectField(_l("角色"), choices=_role_choices, validate_choice=True)


class AuditFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter changes nothing

    # A code from the list; any beginning of one also filters ("archive." for every archive action).
    action = SelectField(_l("动作"), choices=lambda: action_choices(), validate_choice=False,
                         validators=[Optional(), Length(max=40)])
    actor = StringField(_l("操作人"), validators=[Optional(), Length(max=64)])
    ip = StringField(_l("IP 地址"), validators=[Optional(), Length(max=45)])
    date_from = DateField(_l("起始日期"), validators=[Optional()])
    date_to = DateField(_l("结束日期"), validators=[Optional()])
