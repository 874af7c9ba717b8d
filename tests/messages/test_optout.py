"""Every email carries a signed link to opt out, without a login; a forged one does nothing."""
import re

import sqlalchemy as sa

from crmweb.clients.models import Contact
from crmweb.extensions import db
from crmweb.messages import optout, sending
from crmweb.messages.models import MessageTemplate, OptOut
from crmweb.timeutil import utcnow
from tests.clients.helpers import make_client
from tests.conftest import gen_user


def test_an_email_links_to_opting_out_which_every_later_send_respects(app, client):
    owner = gen_user(app, "specialist")
    make_client(app, owner, "徐州华通机械有限公司", tier="key",
                contacts=[{"name": "赵强", "email": "zhao@example.cn"}])
    with app.app_context():
        template = MessageTemplate(name="邀请", channel="email", subject="邀请", body="{姓名}您好",
                                   updated_at=utcnow())
        db.session.add(template)
        db.session.commit()
        preview = sending.recipients(template, sending.Selection(tier="key"), True, utcnow())
        row = sending.outbox_row(template, preview.recipients[0], utcnow(), "")
        link = re.search(r"http://\S+/messages/unsubscribe/\S+", row["body"]).group(0)
    path = link.split("5000", 1)[1]
    page = client.get(path)  # no login needed; opening the link alone changes nothing
    assert page.status_code == 200 and "确认退订" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OptOut)) == 0
    assert "已退订" in client.post(path).get_data(as_text=True)
    assert client.post(path).status_code == 200  # again: still one record
    with app.app_context():
        assert db.session.scalars(sa.select(OptOut.channel)).all() == ["email"]
        template = db.session.scalars(sa.select(MessageTemplate)).one()
        again = sending.recipients(template, sending.Selection(tier="key"), True, utcnow())
        assert again.reached == 0 and again.recipients[0].exclusion == "opted_out"


def test_a_forged_or_altered_link_does_nothing_and_says_nothing(app, client):
    owner = gen_user(app, "specialist")
    make_client(app, owner, contacts=[{"name": "赵强", "email": "zhao@example.cn"}])
    with app.app_context():
        contact_id = db.session.scalars(sa.select(Contact.id)).one()
        token = optout.unsubscribe_url(contact_id, "email").rsplit("/", 1)[1]
    altered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    for path in (f"/messages/unsubscribe/{altered}", "/messages/unsubscribe/WzEsImVtYWlsIl0.forged"):
        assert client.get(path).status_code == 404
        assert client.post(path).status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OptOut)) == 0
