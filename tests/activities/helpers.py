"""Test helpers for activities: people to invite, a template with the reply link, an activity."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from crmweb.activities.models import Activity
from crmweb.auth.actors import CommandLineActor
from crmweb.extensions import db
from crmweb.messages.models import MessageTemplate, OutboxMessage
from crmweb.settings import set_setting
from crmweb.timeutil import utcnow
from tests.clients.helpers import make_client

INVITATION = {
    "name": "联谊会邀请",
    "channel": "sms",
    "subject": "",
    "provider_template": "",
    "provider_params": "",
    "body": "{称呼}您好，诚邀您参加{活动}（{时间}，{地点}），请回复：{链接}",
}


def people_to_invite(app, owner) -> tuple[int, int]:
    """Two key clients with a key person each (reachable by SMS) and one general client. No quiet
    hours: what is sent goes at once, whatever the hour the tests run at."""
    with app.app_context():
        set_setting("messages.quiet_end", time(8, 0), CommandLineActor(), utcnow())
        db.session.commit()
    first = make_client(
        app,
        owner,
        "徐州华通机械有限公司",
        tier="key",
        contacts=[
            {"name": "王明", "position": "采购部经理", "mobile": "+8613812345678", "is_key_person": True},
            {"name": "赵强", "mobile": "+8613812345679"},
        ],
    )
    second = make_client(
        app,
        owner,
        "南京金陵电子科技股份有限公司",
        tier="key",
        contacts=[{"name": "李娜", "mobile": "+8613912345678", "is_key_person": True}],
    )
    make_client(
        app,
        owner,
        "苏州恒润纺织有限公司",
        tier="general",
        contacts=[{"name": "钱多", "mobile": "+8613712345678", "is_key_person": True}],
    )
    return first, second


def invitation_template(app, client) -> int:
    assert client.post("/messages/templates/new", data=INVITATION).status_code == 303
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.max(MessageTemplate.id)))


SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M")


def new_activity(app, client, starts_in=timedelta(days=10), hours=3, **fields) -> int:
    starts = utcnow() + starts_in
    data = {
        "kind": "gathering",
        "title": "年终客户联谊会",
        "starts_at": local(starts),
        "ends_at": local(starts + timedelta(hours=hours)),
        "place": "三楼多功能厅",
        "capacity": "30",
        "budget": "5000",
        "purpose": "答谢客户",
        **fields,
    }
    response = client.post("/activities/new", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def soon_today() -> timedelta:
    """An hour from now, or less when that would be tomorrow in Shanghai (passes hold for the day)."""
    now = utcnow().astimezone(SHANGHAI)
    return min(timedelta(hours=1), timedelta(hours=23 - now.hour, minutes=59 - now.minute) // 2)


def move_activity(app, activity_id, by: timedelta) -> None:
    """The clock's stand-in: the activity moved in time instead of waiting for it."""
    with app.app_context():
        activity = db.session.get(Activity, activity_id)
        activity.starts_at, activity.ends_at = activity.starts_at + by, activity.ends_at + by
        db.session.commit()


def links(app, kind: str) -> dict[str, str]:
    """The personal links sent so far: recipient → token."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(OutboxMessage.recipient, OutboxMessage.body).order_by(OutboxMessage.id)
        ).all()
    found = {}
    for recipient, body in rows:
        match = re.search(rf"/activities/{kind}/([A-Za-z0-9_-]+)", body)
        if match:
            found[recipient] = match.group(1)
    return found
