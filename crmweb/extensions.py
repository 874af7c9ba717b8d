"""Extension instances only: no app import here, so any module may import them without cycles."""
from flask import g, has_request_context
from flask_babel import Babel, Domain
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from jinja2 import pass_context
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
    Babel's init_app)."""
    def translations(context):
        given = context.get("_translations")
        return given if given is not None else request_translations()

    jinja_env.install_gettext_callables(
        gettext=pass_context(lambda context, string: translations(context).ugettext(string)),
        ngettext=pass_context(lambda context, singular, plural, n:
                              translations(context).ungettext(singular, plural, n)),
        pgettext=pass_context(lambda context, msgctxt, string:
                              translations(context).upgettext(msgctxt, string)),
        npgettext=pass_context(lambda context, msgctxt, singular, plural, n:
                               translations(context).unpgettext(msgctxt, singular, plural, n)),
        newstyle=True)

