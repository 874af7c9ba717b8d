"""Files on a case (a letter, a photo of the fault): read by who reads cases, added by who works it."""

from crmweb.auth.permissions import CASES_VIEW, role_can
from crmweb.cases import services
from crmweb.cases.models import Case
from crmweb.documents.services import Owner, register_owner
from crmweb.extensions import db

register_owner(
    "case",
    Owner(
        load=lambda case_id: db.session.get(Case, case_id),
        client_of=lambda case: case.client,
        may_read=lambda actor, _case, _now: role_can(actor.role, CASES_VIEW),
        may_write=lambda actor, case, _now: services.may_work(actor, case) and case.status != "closed",
    ),
)
