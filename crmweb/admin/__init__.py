from flask import Blueprint

bp = Blueprint("admin", __name__)

from crmweb.admin import routes  # noqa: E402,F401
