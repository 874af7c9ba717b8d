"""Test helpers for client archives (CTFd style: helpers, not fixtures of fixtures)."""
from datetime import timedelta
from decimal import Decimal

from crmweb.auth.models import User
from crmweb.clients import services, timeline
from crmweb.clients.models import Client
from crmweb.extensions import db
from crmweb.timeutil import utcnow

SECRET = "MARKER-机密-7731"
SECRET_AMOUNT = Decimal("987654.32")
# The settings form's stay-in-touch rhythms at their defaults: a week for prospects, a month for customers.
DEFAULT_RHYTHMS = {f"{stage}_days_{tier}": "7" if stage == "prospect" else "30"
                   for stage in ("prospect", "customer") for tier in ("general", "important", "key")}
CONFIDENTIAL_TEXT_FIELDS = ["banks", "loan_status", "cash_flow", "payer", "payment_attitude",
                            "cheque_notes", "decision_makers", "development_plans", "strategic_notes"]


def make_client(app, owner, name="徐州华通机械有限公司", contacts=(), secret=False, duplicate=False,
                **fields):
    """A client owned by `owner`, with contacts given as dicts; with `secret`, every confidential
    field holds the marker; with `duplicate`, created although it looks like one already there."""
    reason = "测试：有意重复" if duplicate else None
    with app.app_context():
        actor = db.session.get(User, owner.id)
        values = {"name": name, "kind": "company", "stage": "customer", "tier": "general", **fields}
        client = services.create_client(actor, values, utcnow(), reason)
        for contact in contacts:
            services.save_contact(actor, client, None, dict(contact), utcnow(), duplicate_reason=reason)
        if secret:
            director = db.session.scalar(db.select(User).where(User.role == "director")) or \
                services_create_director()
            services.update_fields(director, client, {
                **{name: SECRET for name in CONFIDENTIAL_TEXT_FIELDS},
                "total_purchases": SECRET_AMOUNT, "monthly_average_purchase": SECRET_AMOUNT,
                "largest_purchase": SECRET_AMOUNT, "our_share_percent": 77}, True, utcnow())
            timeline.record_event(actor, client, {
                "kind": "sale", "occurred_at": utcnow() - timedelta(days=1), "product": "维保套餐",
                "high_end": False, "amount": SECRET_AMOUNT}, utcnow())
        return db.session.get(Client, client.id).id


def services_create_director():
    from crmweb.auth.services import create_user
    return create_user(None, "archive.director", "档案总监", "director", "director-password-1", utcnow())
