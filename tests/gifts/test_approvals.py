"""The approval chain by category and role; reservation, release and issue of the stock; a sent
gift on the client's timeline."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from crmweb.auth.models import User
from crmweb.clients.models import Client, Interaction
from crmweb.errors import Conflict, Invalid, NotAllowed
from crmweb.extensions import db
from crmweb.gifts import approvals, campaigns
from crmweb.gifts.models import Allocation, Campaign, Gift
from crmweb.gifts.rules import Category
from crmweb.messages.models import MessageTemplate, OutboxMessage
from crmweb.timeutil import utcnow
from tests.clients.helpers import make_client
from tests.conftest import gen_user, log_in
from tests.gifts.test_campaigns import setup_campaign


def act(app, user, function, *args):
    with app.app_context():
        campaign = db.session.get(Campaign, args[0])
        return function(db.session.get(User, user.id), campaign, *args[1:], utcnow())


def gift_stock(app, gift_id):
    with app.app_context():
        gift = db.session.get(Gift, gift_id)
        return gift.stock, gift.reserved


def test_the_chain_by_category_and_each_wrong_role_refused(app):
    manager, campaign_id, gift_id = setup_campaign(app, quota=5, budget="5000", stock=4)
    specialist, supervisor = gen_user(app, "specialist"), gen_user(app, "supervisor")
    director = gen_user(app, "director")
    prospect = make_client(app, specialist, "意向客户有限公司", stage="prospect")
    vip = make_client(app, specialist, "VIP客户有限公司", tier="important", vip_status="vip")
    with app.app_context():
        for user, client_id in ((specialist, prospect), (manager, vip)):
            campaigns.allocate(
                db.session.get(User, user.id),
                db.session.get(Campaign, campaign_id),
                db.session.get(Client, client_id),
                None,
                db.session.get(Gift, gift_id),
                2,
                utcnow(),
            )
    with pytest.raises(NotAllowed):  # a VIP list is the manager's to submit
        act(app, specialist, approvals.submit, campaign_id, Category.VIP)
    assert act(app, specialist, approvals.submit, campaign_id, Category.PROSPECT) == 1
    assert act(app, manager, approvals.submit, campaign_id, Category.VIP) == 1
    for wrong, category in (
        (specialist, Category.PROSPECT),
        (supervisor, Category.PROSPECT),
        (manager, Category.VIP),
    ):
        with pytest.raises(NotAllowed):
            act(app, wrong, approvals.approve, campaign_id, category)
    assert act(app, manager, approvals.approve, campaign_id, Category.PROSPECT) == 1
    assert gift_stock(app, gift_id) == (4, 2)  # reserved on approval
    with pytest.raises(Invalid, match="须写明意见"):
        act(app, director, approvals.send_back, campaign_id, Category.VIP, " ")
    assert act(app, director, approvals.approve, campaign_id, Category.VIP) == 1
    assert gift_stock(app, gift_id) == (4, 4)
    # The director withdraws the VIP approval: its stock is released.
    assert act(app, director, approvals.send_back, campaign_id, Category.VIP, "换成定制礼品") == 1
    assert gift_stock(app, gift_id) == (4, 2)
    with app.app_context():
        returned = db.session.scalars(sa.select(Allocation).where(Allocation.category == "vip")).one()
        assert (returned.status, returned.comment) == ("returned", "换成定制礼品")


def test_approval_that_the_stock_cannot_cover_is_refused_whole(app):
    manager, campaign_id, gift_id = setup_campaign(app, quota=5, budget="5000", stock=3)
    director = gen_user(app, "director")
    keys = [make_client(app, manager, f"重点客户{n}有限公司", tier="key") for n in range(2)]
    with app.app_context():
        for client_id in keys:
            campaigns.allocate(
                db.session.get(User, manager.id),
                db.session.get(Campaign, campaign_id),
                db.session.get(Client, client_id),
                None,
                db.session.get(Gift, gift_id),
                2,
                utcnow(),
            )
    act(app, manager, approvals.submit, campaign_id, Category.KEY)
    with pytest.raises(Invalid, match="库存不足"):
        act(app, director, approvals.approve, campaign_id, Category.KEY)
    assert gift_stock(app, gift_id) == (3, 0)  # nothing half-reserved


def test_only_an_approved_gift_is_sent_and_it_lands_on_the_timeline(app):
    manager, campaign_id, gift_id = setup_campaign(app, quota=5, budget="5000", stock=5)
    prospect = make_client(app, manager, "意向客户有限公司", stage="prospect")
    with app.app_context():
        allocation_id = campaigns.allocate(
            db.session.get(User, manager.id),
            db.session.get(Campaign, campaign_id),
            db.session.get(Client, prospect),
            None,
            db.session.get(Gift, gift_id),
            1,
            utcnow(),
        ).id
    with app.app_context(), pytest.raises(Conflict):
        approvals.mark_sent(
            db.session.get(User, manager.id), db.session.get(Allocation, allocation_id), "", utcnow()
        )
    act(app, manager, approvals.submit, campaign_id, Category.PROSPECT)
    act(app, manager, approvals.approve, campaign_id, Category.PROSPECT)
    with app.app_context():
        approvals.mark_sent(
            db.session.get(User, manager.id), db.session.get(Allocation, allocation_id), "专人送达", utcnow()
        )
        assert db.session.get(Allocation, allocation_id).status == "sent"
        content = db.session.scalars(
            sa.select(Interaction.content).where(Interaction.client_id == prospect)
        ).one()
        assert content == "赠送礼品：中秋月饼礼盒 × 1（2027 中秋礼品）"
    assert gift_stock(app, gift_id) == (4, 0)


def test_the_gift_ledger_on_the_client_page_for_who_reads_its_dealings_only(app, client, login_as):
    manager, campaign_id, gift_id = setup_campaign(app, quota=5, budget="5000", stock=5)
    owner = gen_user(app, "sales")
    prospect = make_client(app, owner, "意向客户有限公司", stage="prospect")
    with app.app_context():
        allocation_id = campaigns.allocate(
            db.session.get(User, manager.id),
            db.session.get(Campaign, campaign_id),
            db.session.get(Client, prospect),
            None,
            db.session.get(Gift, gift_id),
            2,
            utcnow(),
        ).id
    act(app, manager, approvals.submit, campaign_id, Category.PROSPECT)
    act(app, manager, approvals.approve, campaign_id, Category.PROSPECT)
    with app.app_context():
        approvals.mark_sent(
            db.session.get(User, manager.id), db.session.get(Allocation, allocation_id), "", utcnow()
        )
    log_in(client, manager.username)
    page = client.get(f"/clients/{prospect}").get_data(as_text=True)
    assert 'id="gift-ledger"' in page and f'id="ledger-{allocation_id}"' in page and "¥300.00" in page
    owners = app.test_client()
    log_in(owners, owner.username)
    assert 'id="gift-ledger"' in owners.get(f"/clients/{prospect}").get_data(
        as_text=True
    )  # the owner reads it
    other = app.test_client()
    login_as("specialist", on=other)
    shown = other.get(f"/clients/{prospect}").get_data(as_text=True)
    assert 'id="gift-ledger"' not in shown and "¥300.00" not in shown


def test_a_gift_sent_with_a_greeting_to_its_recipient_once(app):
    """The greeting goes through the messages area's outbox (one row per gift, whatever happens
    twice); a recipient it cannot reach is named as the reason, and the gift is sent all the same."""
    manager, campaign_id, gift_id = setup_campaign(app, quota=5, budget="5000", stock=5)
    reached = make_client(app, manager, "意向甲有限公司", stage="prospect",
                          contacts=[{"name": "赵强", "email": "zhao@example.cn"}])
    unreachable = make_client(app, manager, "意向乙有限公司", stage="prospect", contacts=[{"name": "钱明"}])
    daytime = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai: no quiet hours
    with app.app_context():
        template = MessageTemplate(name="中秋问候", channel="email", subject="中秋快乐",
                                   body="{称呼}，中秋快乐！小礼物已寄出。", updated_at=daytime)
        db.session.add(template)
        db.session.commit()
        template_id = template.id
        ids = [campaigns.allocate(db.session.get(User, manager.id), db.session.get(Campaign, campaign_id),
                                  db.session.get(Client, client_id), None, db.session.get(Gift, gift_id), 1,
                                  daytime).id for client_id in (reached, unreachable)]
    act(app, manager, approvals.submit, campaign_id, Category.PROSPECT)
    act(app, manager, approvals.approve, campaign_id, Category.PROSPECT)
    with app.app_context():
        sender, template = db.session.get(User, manager.id), db.session.get(MessageTemplate, template_id)
        assert approvals.mark_sent(sender, db.session.get(Allocation, ids[0]), "", daytime, template) is None
        assert approvals.mark_sent(sender, db.session.get(Allocation, ids[1]), "", daytime, template) == \
            "没有手机号或邮箱"
        messages = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [(m.idempotency_key, m.recipient, m.status) for m in messages] == [
            (f"gift:{ids[0]}", "zhao@example.cn", "sent"), (f"gift:{ids[1]}", "", "skipped")]
        assert messages[0].body.startswith("赵强，中秋快乐！小礼物已寄出。")
        assert [db.session.get(Allocation, i).status for i in ids] == ["sent", "sent"]
