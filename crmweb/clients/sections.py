"""The sections of a client's page (客户状况记录表), each edited in place on its own."""
import functools
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField

from crmweb.clients import forms


@dataclass(frozen=True)
class Section:
    name: str
    title: object
    form: type
    confidential: bool = False
    key_clients_only: bool = False

    def applies_to(self, client) -> bool:
        return client.tier == "key" or not self.key_clients_only

    def field_names(self) -> list[str]:
        return list(_fields_of(self.form))

    def version(self, source) -> str:
        return fingerprint(source, self.field_names())

    def rows(self, source) -> list[tuple[str, str]]:
        """(label, shown value) for each field of the section, read from `source`."""
        return [(str(field.label.text), display(field, getattr(source, name)))
                for name, field in _fields_of(self.form).items()]


@functools.cache
def _fields_of(form_class) -> dict:
    """A form's fields by name, made once: the page reads only their labels and choices, which
    are lazy strings translated as they are shown (a form built per section per page was a
    tenth of the client page's time)."""
    return dict(form_class(meta={"csrf": False}, formdata=None)._fields)


def fingerprint(source, names) -> str:
    """A version of stored values, for a form to carry: a save made on an older one would
    silently undo somebody else's change."""
    values = repr([getattr(source, name) for name in names])
    return hashlib.sha256(values.encode()).hexdigest()[:16]


def contact_version(contact) -> str:
    return fingerprint(contact, list(_fields_of(forms.ContactForm)))


def display(field, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(field, SelectField):
        return next((str(choice.label) for choice in field.choices if choice.value == value), str(value))
    if isinstance(field, BooleanField):
        return str(_l("是") if value else _l("否"))
    if isinstance(value, Decimal):
        return format_decimal(value, format="#,##0.00")
    return str(value)


SECTIONS = {section.name: section for section in [
    Section("basics", _l("基本情况"), forms.BasicsForm),
    Section("communication", _l("沟通与满意度"), forms.CommunicationForm),
    Section("key", _l("大客户信息"), forms.KeyClientForm, key_clients_only=True),
    Section("financial", _l("财务状况"), forms.FinancialForm, confidential=True),
    Section("payment", _l("付款状况"), forms.PaymentForm, confidential=True),
    Section("dealings", _l("业务往来"), forms.DealingsForm, confidential=True),
    Section("strategy", _l("战略信息"), forms.StrategyForm, confidential=True, key_clients_only=True),
]}
