"""Test helpers for service cases: a case opened at a chosen moment, as the service opens it."""

from datetime import datetime

from crmweb.auth.models import User
from crmweb.cases import services
from crmweb.clients.models import Client
from crmweb.extensions import db


def open_case(app, actor, client_id, now: datetime, **values) -> int:
    with app.app_context():
        values = {
            "kind": "complaint",
            "channel": "phone",
            "severity": "normal",
            "cause": "quality",
            "contact_id": None,
            "product": "空压机",
            "description": "设备噪音大，已停机",
            **values,
        }
        case = services.open_case(
            db.session.get(User, actor.id), db.session.get(Client, client_id), values, now
        )
        return case.id
