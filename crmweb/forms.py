"""The base of every form. Flask-WTF already gives WTForms' own messages ("不是有效的选择") in the
request's language, through Flask-Babel's locale."""
from flask_wtf import FlaskForm


class Form(FlaskForm):
    pass
