"""The audit log as people read it: actions named in Chinese, objects by name with a link, details
in words instead of codes. The stored records stay as they are (codes are stable to filter by)."""
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l

from crmweb import areas
from crmweb.auth.models import AuditEvent, User
from crmweb.auth.permissions import ROLES
from crmweb.clients.forms import EventForm, InteractionForm
from crmweb.clients.importing import FIELD_LABELS
from crmweb.clients.models import Client
from crmweb.clients.sections import SECTIONS
from crmweb.extensions import db
from crmweb.kb.models import Article
from crmweb.timeutil import local_zone

ACTIONS = {
    "login": _l("登录"), "login.failed": _l("登录失败"), "login.throttled": _l("登录被暂时拒绝"),
    "logout": _l("退出"), "permission.denied": _l("无权访问被拒绝"),
    "user.created": _l("新建用户"), "user.enabled": _l("启用用户"), "user.disabled": _l("停用用户"),
    "user.role_changed": _l("修改角色"), "user.password_reset": _l("重置密码"),
    "user.password_changed": _l("修改自己的密码"), "user.password_link_issued": _l("发出设置密码链接"),
    "user.password_set": _l("用链接设置密码"), "user.confirmation_requested": _l("提请总经理确认"),
    "user.change_confirmed": _l("总经理确认账号变更"), "user.change_refused": _l("总经理拒绝账号变更"),
    "archive.viewed": _l("查阅保密档案"), "archive.changed": _l("修改保密档案"),
    "archive.exported": _l("导出客户档案"), "archive.denied": _l("保密档案访问被拒绝"),
    "archive.access_requested": _l("申请查阅档案"), "archive.access_granted": _l("批准查阅申请"),
    "archive.access_refused": _l("拒绝查阅申请"), "archive.access_revoked": _l("撤销查阅授权"),
    "client.created": _l("新建客户"), "client.changed": _l("修改客户档案"),
    "client.event_recorded": _l("记录购买/服务事件"), "client.labels_changed": _l("修改分组和标签"),
    "client.owner_changed": _l("更换负责人"), "client.tier_changed": _l("调整客户等级"),
    "client.vip_applied": _l("申请 VIP"), "client.vip_approved": _l("批准 VIP"),
    "client.vip_refused": _l("拒绝 VIP"), "contact.saved": _l("保存联系人"),
    "client.merged": _l("合并客户"),
    "interaction.corrected": _l("更正交流记录"), "interaction.voided": _l("作废交流记录"),
    "event.corrected": _l("更正购买/服务事件"), "event.voided": _l("作废购买/服务事件"),
    "clients.imported": _l("导入客户"), "clients.import_previewed": _l("预览导入"),
    "clients.bulk_updated": _l("批量修改客户"), "settings.changed": _l("修改设置"),
    "kb.published": _l("发布知识库文章"), "kb.archived": _l("归档知识库文章"),
    "kb.draft": _l("知识库文章退回草稿"), "kb.synonyms_changed": _l("修改同义词"),
}

def action_labels() -> dict:
    """Every action's name: these, and those each area declares (crmweb/area.py)."""
    return {**ACTIONS, **{code: label for area in areas.AREAS for code, label in area.audit_actions.items()}}


# Words that appear in details as `key=value`, and field names of the archive.
_KEYS = {
    "created": _l("新建"), "updated": _l("更新"), "skipped": _l("跳过"), "errors": _l("错误"),
    "warnings": _l("需核对"), "count": _l("条数"), "query": _l("搜索"), "role": _l("角色"),
    "active": _l("启用"), "request": _l("申请编号"), "kind": _l("类型"), "days": _l("天数"),
    "value": _l("值"), "done": _l("完成"), "refused": _l("未处理"), "ids": _l("客户编号"),
    "contact": _l("联系人编号"), "dry_run": _l("试运行"), "interaction": _l("交流记录编号"),
    "event": _l("事件编号"), "fields": _l("字段"), "reason": _l("原因"), "merged": _l("并入的客户编号"),
    "name": _l("名称"), "duplicate_of": _l("疑似重复"),
}
_WORDS = {"True": _l("是"), "False": _l("否"), "import": _l("导入"), "sale": _l("销售"),
          "view": _l("查看"), "change": _l("修改"), "contacts": _l("联系人和交流记录"),
          "create": _l("新建账号"), "promote": _l("提升角色"), "reset": _l("重置密码"),
          "disabled": _l("账号已停用"), "correction": _l("更正记录")}


def _field_labels() -> dict:

    labels = dict(FIELD_LABELS)
    for form_class in [*(section.form for section in SECTIONS.values()), InteractionForm, EventForm]:
        form = form_class(meta={"csrf": False}, formdata=None)
        labels.update({name: field.label.text for name, field in form._fields.items()})
    return labels


def _word(token: str, fields: dict) -> str:
    if token in ROLES:
        return str(ROLES[token])
    if token in fields:
        return str(fields[token])
    return str(_WORDS.get(token, token))


def _words(value: str, fields: dict) -> str:
    """'banks,cash_flow' → '往来银行、现金流'; 'sales->manager' → '销售 → 客户服务经理'."""
    return "、".join(" → ".join(_word(part, fields) for part in piece.split("->"))
                    for piece in value.split(",") if piece)


def readable_detail(detail: str | None, fields: dict) -> str:
    """'created=3 dry_run=False' → '新建 3，试运行 否'; 'import:banks' → '导入：往来银行'."""
    if not detail:
        return ""
    parts = []
    for token in detail.split():
        key, sep, value = token.partition("=")
        head, colon, rest = token.partition(":")
        if sep:
            parts.append(f"{_KEYS.get(key, key)} {_words(value, fields)}")
        elif colon:
            parts.append(f"{_word(head, fields)}：{_words(rest, fields)}")
        else:
            parts.append(_words(token, fields))
    return "，".join(parts)


@dataclass
class Row:
    event: AuditEvent
    action: str
    target: str
    target_url: str | None
    detail: str


def rows(events: list[AuditEvent]) -> list[Row]:
    """The page's events with names looked up once for all of them (no query per row)."""

    def ids(kind):
        return {int(e.target_id) for e in events
                if e.target_type == kind and (e.target_id or "").isdigit()}

    clients = dict(db.session.execute(sa.select(Client.id, Client.name)
                                      .where(Client.id.in_(ids("client")))).all())
    articles = dict(db.session.execute(sa.select(Article.id, Article.title)
                                       .where(Article.id.in_(ids("article")))).all())
    usernames = {e.target_id for e in events if e.target_type == "user"}
    people = dict(db.session.execute(sa.select(User.username, User.display_name)
                                     .where(User.username.in_(usernames))).all())
    fields = _field_labels()
    result = []
    labels = action_labels()
    for event in events:
        target, url = event.target_id or "", None
        number = int(event.target_id) if (event.target_id or "").isdigit() else None
        if event.target_type == "client" and number in clients:
            target, url = clients[number], url_for("clients.detail", client_id=number)
        elif event.target_type == "article" and number in articles:
            target, url = articles[number], url_for("kb.article", article_id=number)
        elif event.target_type == "user":
            target = f"{people[event.target_id]}（{event.target_id}）" if event.target_id in people \
                else event.target_id or ""
        elif event.target_type in ("clients", "import"):
            target = str(_l("客户档案（%(what)s）", what=event.target_id or ""))
        result.append(Row(event, str(labels.get(event.action, event.action)), target, url,
                          readable_detail(event.detail, fields)))
    return result


def events(filters: dict):
    """The audit log, newest first, narrowed by what the filter form holds (days in local time)."""
    zone = local_zone()
    query = sa.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if filters.get("action"):
        query = query.where(AuditEvent.action.startswith(filters["action"].strip(), autoescape=True))
    if filters.get("actor"):
        query = query.where(AuditEvent.actor_name == filters["actor"].strip().lower())
    if filters.get("ip"):
        query = query.where(AuditEvent.ip == filters["ip"].strip())
    if filters.get("date_from"):
        query = query.where(AuditEvent.at >= datetime.combine(filters["date_from"], time.min, zone))
    if filters.get("date_to"):
        end = datetime.combine(filters["date_to"] + timedelta(days=1), time.min, zone)
        query = query.where(AuditEvent.at < end)
    return query


def action_choices() -> list[tuple[str, str]]:
    return [("", str(_l("全部")))] + [(code, str(label)) for code, label in action_labels().items()]
