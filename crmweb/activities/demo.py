"""Demo data of the activity area: a client gathering next month with the key people of the
first clients invited (one accepted, one waiting for a seat), and a trial of a new product."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from crmweb.activities import services
from crmweb.activities.models import Invitation
from crmweb.activities.rules import Kind, Status
from crmweb.auth.models import User
from crmweb.clients.models import Contact
from crmweb.extensions import db
from crmweb.timeutil import local_zone


def seed_demo_activities(now) -> str:
    supervisor = db.session.scalar(sa.select(User).where(User.role == "supervisor").order_by(User.id))
    contacts = db.session.scalars(sa.select(Contact).order_by(Contact.client_id, Contact.id).limit(3)).all()
    if supervisor is None or len(contacts) < 3:
        return _("客户活动 0 个")
    day = now.astimezone(local_zone()).date() + timedelta(days=20)
    starts = datetime.combine(day, time(14), tzinfo=local_zone())
    gathering = services.save_activity(
        supervisor,
        None,
        {
            "kind": Kind.GATHERING,
            "title": _("年终客户联谊会"),
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=3),
            "place": _("公司三楼多功能厅"),
            "capacity": 1,
            "budget": Decimal("8000"),
            "purpose": _("答谢重点客户，介绍明年的服务计划"),
        },
        [supervisor.id],
        now,
    )
    for contact, status in zip(contacts[:2], (Status.ACCEPTED, Status.WAITLISTED), strict=True):
        invitation = Invitation(
            activity_id=gathering.id,
            client_id=contact.client_id,
            contact_id=contact.id,
            name=contact.name,
            status=status,
            channel="sms",
            answered_at=now,
            seated_at=now,
            invited_by_id=supervisor.id,
            created_at=now,
        )
        if status == Status.ACCEPTED:
            services.issue_pass(invitation)
        db.session.add(invitation)
    services.save_activity(
        supervisor,
        None,
        {
            "kind": Kind.TRIAL,
            "title": _("新型节能阀门试用"),
            "starts_at": starts - timedelta(days=10),
            "ends_at": starts - timedelta(days=10) + timedelta(hours=1),
            "place": _("寄送到客户"),
            "capacity": 10,
            "budget": Decimal("3000"),
            "product": _("节能阀门 V2"),
            "feedback_due_on": day + timedelta(days=20),
        },
        [supervisor.id],
        now,
    )
    db.session.commit()
    return _("客户活动 2 个")
