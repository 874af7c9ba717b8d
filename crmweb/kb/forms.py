from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from crmweb.forms import Form


class ArticleForm(Form):
    title = StringField(_l("问题（标题）"), validators=[DataRequired(_l("请填写问题。")), Length(max=200)])
    body = TextAreaField(_l("答案"), validators=[DataRequired(_l("请填写答案。")), Length(max=20000)])
    category = StringField(_l("分类"), validators=[Optional(), Length(max=64)])
    tags = StringField(_l("标签（逗号分隔）"), validators=[Optional(), Length(max=500)])
    synonyms = StringField(_l("同义说法（客户可能怎么问）"), validators=[Optional(), Length(max=500)])


class SynonymsForm(Form):
    groups = TextAreaField(_l("同义词（每行一组，用 = 分隔）"), validators=[Length(max=50000)])
