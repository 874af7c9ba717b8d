"""Campaigns and their lists: the category from the archive, each limit enforced with its reason,
and people compiling at the same moment from separate processes never passing a quota."""

import multiprocessing
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from crmweb import create_app
from crmweb.auth.models import User
from crmweb.clients.models import Client, Contact
from crmweb.errors import Invalid
from crmweb.extensions import db
from crmweb.gifts import campaigns
from crmweb.gifts.campaigns import Limits
from crmweb.gifts.models import Allocation, Campaign, CampaignCategory, Gift
from crmweb.gifts.rules import Category
from crmweb.messages.models import OptOut
from crmweb.timeutil import utcnow
from tests.clients.helpers import make_client
from tests.conftest import app_config, gen_user


def setup_campaign(app, quota=2, budget="1000", stock=10, cap="300"):
    manager = gen_user(app, "manager")
    with app.app_context():
        now = utcnow()
        gift = Gift(
            name="中秋月饼礼盒",
            kind="custom",
            unit_value=Decimal("150"),
            stock=stock,
            reserved=0,
            created_at=now,
            updated_at=now,
        )
        db.session.add(gift)
        db.session.commit()
        limits = {category: Limits(Decimal(cap), quota) for category in Category}
        start, end = campaigns.festival_period("中秋", 2027)
        campaign = campaigns.create_campaign(
            db.session.get(User, manager.id),
            "2027 中秋礼品",
            start,
            end,
            Decimal(budget),
            limits,
            "中秋",
            now,
        )
        return manager, campaign.id, gift.id


def allocate(app, manager, campaign_id, gift_id, client_id, quantity=1, **options):
    with app.app_context():
        client = db.session.get(Client, client_id)
        contact = client.contacts[0] if client.contacts else None
        return campaigns.allocate(
            db.session.get(User, manager.id),
            db.session.get(Campaign, campaign_id),
            client,
            contact,
            db.session.get(Gift, gift_id),
            quantity,
            utcnow(),
            **options,
        ).id


def test_a_campaign_from_the_calendar_has_the_festivals_dates():
    assert campaigns.festival_period("中秋", 2027) == (date(2027, 9, 1), date(2027, 9, 15))


def test_each_limit_refuses_with_its_reason(app):
    manager, campaign_id, gift_id = setup_campaign(app, quota=2, budget="450")
    owner = gen_user(app, "specialist")
    vips = [
        make_client(
            app,
            owner,
            f"VIP客户{n}有限公司",
            tier="important",
            vip_status="vip",
            contacts=[{"name": f"联系人{n}"}],
        )
        for n in range(4)
    ]
    lost = make_client(app, owner, "流失客户有限公司", stage="lost", tier="key")
    general = make_client(app, owner, "一般客户有限公司", tier="general")
    assert allocate(app, manager, campaign_id, gift_id, vips[0], quantity=2)  # 300: the cap, exactly
    with pytest.raises(Invalid, match="已在本活动的名单上"):
        allocate(app, manager, campaign_id, gift_id, vips[0])
    with pytest.raises(Invalid, match="超过该类别每份礼品的上限"):
        allocate(app, manager, campaign_id, gift_id, vips[1], quantity=3)
    with pytest.raises(Invalid, match="已流失"):
        allocate(app, manager, campaign_id, gift_id, lost)
    with pytest.raises(Invalid, match="不属于本活动的任何馈赠类别"):
        allocate(app, manager, campaign_id, gift_id, general)
    with pytest.raises(Invalid, match="须说明理由"):
        allocate(app, manager, campaign_id, gift_id, general, category=Category.PROSPECT)
    assert allocate(app, manager, campaign_id, gift_id, vips[1])  # 450: the budget, exactly
    with pytest.raises(Invalid, match="超出本活动的预算|名额已满"):
        allocate(app, manager, campaign_id, gift_id, vips[2])
    with app.app_context():
        contact = db.session.scalars(sa.select(Contact).where(Contact.client_id == vips[3])).one()
        db.session.add(OptOut(contact_id=contact.id, channel="gifts", source="staff", created_at=utcnow()))
        db.session.commit()
    with pytest.raises(Invalid, match="不接受礼品"):
        allocate(app, manager, campaign_id, gift_id, vips[3])
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        vip_row = db.session.get(CampaignCategory, (campaign_id, "vip"))
        assert (campaign.committed, vip_row.taken) == (Decimal("450"), 2)


def test_a_category_chosen_by_hand_with_a_reason(app):
    manager, campaign_id, gift_id = setup_campaign(app)
    general = make_client(app, gen_user(app, "sales"), "一般客户有限公司", tier="general")
    allocation_id = allocate(
        app,
        manager,
        campaign_id,
        gift_id,
        general,
        category=Category.PROSPECT,
        override_reason="正在洽谈年度合同",
    )
    with app.app_context():
        allocation = db.session.get(Allocation, allocation_id)
        assert (allocation.category, allocation.override_reason) == ("prospect", "正在洽谈年度合同")


def _allocate_in_a_process(database_url, manager_id, campaign_id, gift_id, client_id, start, answers):
    app = create_app(app_config(database_url))
    with app.app_context():
        start.wait()
        try:
            campaigns.allocate(
                db.session.get(User, manager_id),
                db.session.get(Campaign, campaign_id),
                db.session.get(Client, client_id),
                None,
                db.session.get(Gift, gift_id),
                1,
                utcnow(),
            )
            answers.put("ok")
        except Invalid:
            answers.put("refused")
        except Exception as error:  # noqa: BLE001 (the test reports anything else)
            answers.put(repr(error))


def test_people_compiling_at_the_same_moment_never_pass_the_quota(app, database_url):
    manager, campaign_id, gift_id = setup_campaign(app, quota=3, budget="100000")
    owner = gen_user(app, "specialist")
    keys = [make_client(app, owner, f"重点客户{n}有限公司", tier="key") for n in range(10)]
    with app.app_context():
        db.engine.dispose()
    context = multiprocessing.get_context("fork")
    start, answers = context.Barrier(len(keys)), context.Queue()
    processes = [
        context.Process(
            target=_allocate_in_a_process,
            args=(database_url, manager.id, campaign_id, gift_id, client_id, start, answers),
        )
        for client_id in keys
    ]
    for process in processes:
        process.start()
    results = sorted(answers.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=60)
    assert results == ["ok"] * 3 + ["refused"] * 7
    with app.app_context():
        assert db.session.get(CampaignCategory, (campaign_id, "key")).taken == 3
        assert db.session.scalar(sa.select(sa.func.count(Allocation.id))) == 3
