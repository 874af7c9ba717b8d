"""The base of every form. Flask-WTF already gives WTForms' own messages ("不是有效的选择") in the
request's language, through Flask-Babel's locale."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField

from crmweb.ids import whole_number


class Form(FlaskForm):
    pass


class IdField(IntegerField):
    """The id of a record picked on the page (a client chosen as you type): ASCII digits within an
    id's range, or the field's error; never a number the database cannot hold."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0] not in ("", None):
            self.data = whole_number(valuelist[0])
            if self.data is None:
                raise ValueError(_l("请重新选择。"))
        elif valuelist:
            self.data = None
