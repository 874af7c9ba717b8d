from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from crmweb.dashboard import routes  # noqa: E402,F401
