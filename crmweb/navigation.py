"""The main navigation: each item shows only to roles holding its permission."""
from flask import current_app
from flask_babel import lazy_gettext as _l

from crmweb.auth.permissions import can, declared_permission

# (endpoint, label); the permission is whatever the endpoint itself declares.
ITEMS = [
    ("dashboard.index", _l("今日工作台")),
    ("clients.index", _l("客户档案")),
    ("clients.access_requests", _l("查阅申请")),
    ("kb.index", _l("知识库")),
    ("clients.archive_settings", _l("档案设置")),
    ("admin.users", _l("用户管理")),
    ("admin.account_requests", _l("账号确认")),
    ("admin.audit_log", _l("审计日志")),
]


def visible_items():
    return [(endpoint, label) for endpoint, label in ITEMS
            if endpoint in current_app.view_functions and can(declared_permission(endpoint))]
