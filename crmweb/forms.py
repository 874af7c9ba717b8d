"""The base of every form: WTForms' own messages ("不是有效的选择") in the user's language."""
from flask_wtf import FlaskForm
from wtforms.i18n import get_translations


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form):
            from crmweb import current_language

            # WTForms ships zh and en catalogues of its built-in messages; use them.
            return get_translations(["zh" if current_language().startswith("zh") else "en"])
