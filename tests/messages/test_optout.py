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


def test_staff_record_on_the_client_page_what_a_contact_refuses(app, client, hx_client, login_as):
    """A client says by phone: no more gifts. The owner records it beside the contacts; gift lists
    then refuse the client at once and on submit; asked again, it is undone. Others cannot."""
    from tests.gifts.test_campaigns import setup_campaign

    manager, campaign_id, gift_id = setup_campaign(app, quota=5, budget="5000")
    owner = login_as("specialist", on=hx_client)
    client_id = make_client(app, owner, "徐州华通机械有限公司", stage="prospect",
                            contacts=[{"name": "赵强", "mobile": "13912345678"}])
    with app.app_context():
        contact_id = db.session.scalar(sa.select(Contact.id))
    page = hx_client.get(f"/clients/{client_id}", headers={"HX-Boosted": "true"}).get_data(as_text=True)
    assert 'id="contact-preferences"' in page and f'id="preferences-{contact_id}"' in page
    card = hx_client.post(f"/messages/contacts/{contact_id}/refusals/gifts", data={"refuses": "y"})
    assert card.status_code == 200
    gifts_cell = re.search(r'data-channel="gifts">(.*?)</td>', card.get_data(as_text=True), re.S).group(1)
    assert "不接收" in gifts_cell and "恢复接收" in gifts_cell
    with app.app_context():
        assert db.session.get(OptOut, (contact_id, "gifts")).source == "staff"
    login_as("specialist", on=client)
    allocation = {"client_id": client_id, "gift_id": gift_id, "quantity": "1"}
    check = client.post(f"/gifts/campaigns/{campaign_id}/check", data=allocation).get_data(as_text=True)
    assert "不接受礼品" in check
    refused = client.post(f"/gifts/campaigns/{campaign_id}/allocations", data=allocation)
    assert refused.status_code == 422 and "不接受礼品" in refused.get_data(as_text=True)
    hx_client.post(f"/messages/contacts/{contact_id}/refusals/gifts", data={"refuses": ""})
    assert client.post(f"/gifts/campaigns/{campaign_id}/allocations", data=allocation).status_code == 303
    # A salesperson who does not own the client changes nothing.
    other = app.test_client()
    login_as("sales", on=other)
    refusals = f"/messages/contacts/{contact_id}/refusals"
    assert other.post(f"{refusals}/sms", data={"refuses": "y"}).status_code == 403
    assert client.post(f"{refusals}/fax", data={"refuses": "y"}).status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OptOut)) == 0
