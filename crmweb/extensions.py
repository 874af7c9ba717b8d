"""Extension instances only: no app import here, so any module may import them without cycles."""
from flask import g, has_request_context
from flask_babel import Babel, Domain
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from jinja2 import pass_context
from markupsafe import Markup
from sqlalchemy import MetaData
from werkzeug.utils import cached_property

# Named constraints keep Alembic migrations portable between SQLite and PostgreSQL.
naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=naming_convention))
login_manager = LoginManager()
csrf = CSRFProtect()


class RequestDomain(Domain):
    """Flask-Babel's domain with the request's translations looked up once: a page asks for a
    translation hundreds of times, and each lookup found the locale and the catalogue anew
    (a fifth of a client page's time). The locale is fixed for a request in Flask-Babel too."""

    def get_translations(self):
        if not has_request_context():
            return super().get_translations()
        translations = g.get("_crmweb_translations")
        if translations is None:
            translations = g._crmweb_translations = super().get_translations()
        return translations


class RequestBabel(Babel):
    @cached_property
    def domain_instance(self):
        return RequestDomain(domain=self.domain)


babel = RequestBabel()


def request_translations():
    """The request's translations straight from RequestDomain (kept on `g`), for the templates'
    gettext: Flask-Babel's own walks four lookups to reach the domain, on every string."""
    return babel.domain_instance.get_translations()


def install_template_gettext(jinja_env) -> None:
    """The templates' _() and friends through the translations a rendering was given (as
    `_translations`, by crmweb's context processor), else through request_translations (after
    Babel's init_app).

    They keep Jinja's "newstyle" meaning (the string is a %-format, `%%` a percent sign) but skip
    formatting a string that has no `%` in it, and `_` calls gettext directly: Jinja's own pair
    formats every string and goes through one more call (4 % of a client page's time)."""
    def translations(context):
        given = context.get("_translations")
        return given if given is not None else request_translations()

    def formatted(context, text, variables):
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables if variables or "%" in text else text

    @pass_context
    def gettext(context, string, **variables):
        return formatted(context, translations(context).ugettext(string), variables)

    @pass_context
    def ngettext(context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return formatted(context, translations(context).ungettext(singular, plural, num), variables)

    @pass_context
    def pgettext(context, msgctxt, string, **variables):
        variables.setdefault("context", msgctxt)
        return formatted(context, translations(context).upgettext(msgctxt, string), variables)

    @pass_context
    def npgettext(context, msgctxt, singular, plural, num, **variables):
        variables.setdefault("context", msgctxt)
        variables.setdefault("num", num)
        return formatted(context, translations(context).unpgettext(msgctxt, singular, plural, num),
                         variables)

    jinja_env.newstyle_gettext = True  # how {% trans %} blocks pass their variables
    jinja_env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext,
                             npgettext=npgettext)
