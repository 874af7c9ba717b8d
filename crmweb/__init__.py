"""crmweb: customer-relationship maintenance for the customer-service department."""
import functools
from datetime import UTC
from zoneinfo import ZoneInfo

from babel import Locale
from flask import Flask, has_request_context, request, session, url_for
from flask_babel import format_date, format_datetime
from flask_wtf.csrf import generate_csrf
from werkzeug.middleware.proxy_fix import ProxyFix

from crmweb import database, navigation, security_headers
from crmweb.areas import AREAS
from crmweb.auth import login
from crmweb.auth.permissions import ROLES, can, signed_in_user, user_can
from crmweb.clients.rules import display_phone, phone_is_normalised
from crmweb.config import INSTANCE_PATH, PROJECT_ROOT, load_config
from crmweb.database import MigrationCommands
from crmweb.demo import seed_demo
from crmweb.errors import register_errorhandlers as register
from crmweb.extensions import babel, csrf, db, install_template_gettext, request_translations
from crmweb.htmx import vary_on_htmx
from crmweb.ids import IdConverter
from crmweb.jobs.commands import cron_command, worker_command


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(INSTANCE_PATH),
                template_folder=str(PROJECT_ROOT / "templates"),
                static_folder=str(PROJECT_ROOT / "static"))
    app.config.from_mapping(load_config())
    app.config.update(overrides or {})
    INSTANCE_PATH.mkdir(parents=True, exist_ok=True)
    if app.config["PROXY_COUNT"]:
        # Behind nginx: take the client's address and scheme from the trusted proxy headers.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_COUNT"],
                                x_proto=app.config["PROXY_COUNT"])

    register_extensions(app)
    app.url_map.converters["int"] = IdConverter  # before the routes that use it are added
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_extensions(app):

    db.init_app(app)
    database.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=lambda: _parsed_locale(current_language()),
                   default_translation_directories=str(PROJECT_ROOT / "translations"))
    install_template_gettext(app.jinja_env)
    login.init_app(app)
    security_headers.init_app(app)


def current_language() -> str:
    """The interface language of this request: the user's choice, else Simplified Chinese."""
    if not has_request_context():
        return "zh_CN"
    user = signed_in_user()
    if user.is_authenticated and user.locale:
        return user.locale
    return session.get("lang", "zh_CN")


@functools.cache
def _parsed_locale(code: str) -> Locale:
    """Flask-Babel parses the selector's answer on every request unless it is a Locale already."""
    return Locale.parse(code)


def register_blueprints(app):

    for area in AREAS:
        app.register_blueprint(area.blueprint, url_prefix=area.url_prefix)


def register_errorhandlers(app):

    register(app)
    app.after_request(vary_on_htmx)


def register_template_helpers(app):


    app.context_processor(_bound_helpers)
    app.jinja_env.globals.update(can=can, roles=ROLES, navigation=navigation.visible_items,
                                 url_with_args=_url_with_args,
                                 current_language=current_language)

    app.jinja_env.filters["phone"] = display_phone
    app.jinja_env.filters["phone_normalised"] = phone_is_normalised
    local_zone = ZoneInfo(app.config["TZ_NAME"])
    # Cheaper than Babel's formatting, for dates repeated in every row of a list.
    app.jinja_env.filters["local_date"] = lambda value: (
        value.astimezone(local_zone).strftime("%Y-%m-%d") if value else "")
    app.jinja_env.filters["datetime"] = functools.partial(_local_datetime, local_zone)
    app.jinja_env.filters["full_date"] = lambda value: format_date(value, "full")  # 2026年11月22日星期日


def _bound_helpers() -> dict:
    """`can`, `csrf_token` and the translations bound for one rendering to the user, the token and
    the catalogue this request resolved: a page calls them a hundred times, and each call looked
    them up again through Flask's proxies. (Macros imported without context keep the global ones.)"""
    if not has_request_context():
        return {}
    return {"can": functools.partial(user_can, signed_in_user()),
            "csrf_token": functools.cache(generate_csrf), "_translations": request_translations()}


# The numeric patterns the pages use, the same in every language: by strftime, a tenth of
# Babel's time, on every line of a timeline.
NUMERIC_PATTERNS = {"yyyy-MM-dd HH:mm": "%Y-%m-%d %H:%M", "yyyy-MM-dd HH:mm:ss": "%Y-%m-%d %H:%M:%S",
                    "MM-dd HH:mm": "%m-%d %H:%M", "HH:mm": "%H:%M"}


def _local_datetime(local_zone, value, fmt="yyyy-MM-dd HH:mm") -> str:
    """A stored moment (UTC) as the local clock shows it."""
    if not value:
        return ""
    pattern = NUMERIC_PATTERNS.get(fmt)
    if pattern is None:
        return format_datetime(value, fmt)
    if value.tzinfo is None:  # stored as UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(local_zone).strftime(pattern)


def _url_with_args(**changes) -> str:
    """This page's URL with some query arguments changed (pagers, sorting)."""
    args = request.args.to_dict()
    args.update(changes)
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def register_commands(app):

    app.cli.add_command(MigrationCommands())
    for area in AREAS:
        for command in area.commands:
            app.cli.add_command(command)
    app.cli.add_command(seed_demo)
    app.cli.add_command(worker_command)
    app.cli.add_command(cron_command)
