from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from crmweb.auth.rules import MIN_PASSWORD_LENGTH, password_problems
from crmweb.forms import Form

PASSWORD_PROBLEM_MESSAGES = {
    "too_short": _l("密码至少需要 %(n)s 个字符。", n=MIN_PASSWORD_LENGTH),
    "contains_username": _l("密码不能包含用户名。"),
    "too_guessable": _l("这个密码太常见或太容易猜到，请换一个：几个不相关的词连在一起就很好记，也很难猜。"),
}


def check_new_password(password: str, username: str):
    for problem in password_problems(password, username):
        raise ValidationError(PASSWORD_PROBLEM_MESSAGES[problem])


class LoginForm(Form):
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请输入用户名。")),
                                                    Length(max=64)])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码。")),
                                                    Length(max=256)])


class SetPasswordForm(Form):
    """A new password, typed twice: from a one-time link, or (with the current one) by oneself."""

    new_password = PasswordField(_l("新密码"), validators=[DataRequired(_l("请输入新密码。")),
                                                         Length(max=256)])
    confirm_password = PasswordField(_l("确认新密码"), validators=[
        DataRequired(_l("请再次输入新密码。")),
        EqualTo("new_password", _l("两次输入的新密码不一致。"))])

    def __init__(self, username: str, **kwargs):
        super().__init__(**kwargs)
        self._username = username

    def validate_new_password(self, field):
        check_new_password(field.data, self._username)


class ChangePasswordForm(SetPasswordForm):
    current_password = PasswordField(_l("当前密码"),
                                     validators=[DataRequired(_l("请输入当前密码。"))])

    def validate_new_password(self, field):
        if field.data == self.current_password.data:
            raise ValidationError(_l("新密码不能与当前密码相同。"))
        super().validate_new_password(field)


class ContactDetailsForm(Form):
    mobile = StringField(_l("手机"), validators=[Optional(), Length(max=30)])
    email = StringField(_l("邮箱"), validators=[Optional(), Length(max=254), Email(_l("邮箱格式不对。"))])
