"""Message templates: written by supervisors and managers, previewed on a real contact."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from crmweb.auth.audit import record_audit
from crmweb.auth.models import User
from crmweb.clients.models import Client, Contact
from crmweb.errors import NotFound
from crmweb.extensions import db
from crmweb.messages import rules
from crmweb.messages.models import MessageTemplate
from crmweb.workdays import holiday_name


def all_templates() -> list[MessageTemplate]:
    return db.session.scalars(sa.select(MessageTemplate).order_by(MessageTemplate.name)).all()


def get_template(template_id: int) -> MessageTemplate:
    template = db.session.get(MessageTemplate, template_id)
    if template is None:
        raise NotFound(_("找不到该模板。"))
    return template


def save_template(actor: User, template: MessageTemplate | None, values: dict,
                  now: datetime) -> MessageTemplate:
    template = template or MessageTemplate(created_by_id=actor.id)
    for name, value in values.items():
        setattr(template, name, (value or "").strip())
    template.updated_at = now
    db.session.add(template)
    db.session.flush()
    record_audit("messages.template_saved", target_type="template", target_id=template.id, actor=actor,
                 now=now, detail=template.name)
    db.session.commit()
    return template


def sample_contact(channel: str) -> Contact | None:
    """A real contact to preview a template on: one with an address for the channel."""
    address = Contact.mobile if channel == "sms" else Contact.email
    return db.session.scalars(sa.select(Contact).join(Client).where(address.is_not(None))
                              .order_by(Contact.is_key_person.desc(), Contact.id).limit(1)).first()


def preview(channel: str, subject: str, body: str, contact: Contact | None, today) -> dict:
    """The template as this contact would read it, and for SMS how many messages it costs."""
    values = {"节日": holiday_name(today) or _("节日")}
    if contact is not None:
        client = contact.client
        values.update({"称呼": rules.salutation(contact.name, contact.position), "姓名": contact.name,
                       "公司": client.name, "客户经理": client.owner.display_name if client.owner else ""})
    return {"subject": rules.render(subject, values), "body": rules.render(body, values), "contact": contact,
            "unknown": rules.unknown_placeholders(body)}
