"""Files on the archive (客户文件): on a client or a case, checked by their content, kept in one
file store, served only through the app."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("documents", __name__)

from crmweb.area import Area  # noqa: E402
from crmweb.documents import routes  # noqa: E402,F401
from crmweb.documents.panels import client_panels  # noqa: E402

area = Area(
    bp,
    client_panels=client_panels,
    audit_actions={
        "documents.uploaded": _l("上传文件"),
        "documents.downloaded": _l("下载文件"),
        "documents.deleted": _l("删除文件"),
    },
)
