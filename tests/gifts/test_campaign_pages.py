"""Campaign pages: started from a festival, lists compiled by who may compile them, refusals beside
the field (422), rows for scripts."""

import io
import re

from openpyxl import load_workbook

from crmweb.extensions import db
from crmweb.gifts.models import Campaign
from tests.clients.helpers import make_client

CAMPAIGN = {
    "name": "2027 中秋礼品",
    "festival": "中秋",
    "budget": "5000",
    "prospect_cap": "200",
    "prospect_quota": "1",
    "vip_cap": "500",
    "vip_quota": "10",
    "key_cap": "1000",
    "key_quota": "5",
}
GIFT = {
    "name": "中秋月饼礼盒",
    "kind": "custom",
    "unit_value": "150",
    "supplier": "",
    "low_level": "5",
    "active": "y",
}


def test_a_campaign_from_a_festival_and_its_lists(app, client, login_as):
    manager = login_as("manager")
    gift_id = int(client.post("/gifts/new", data=GIFT).headers["Location"].rsplit("/", 1)[1])
    client.post(f"/gifts/{gift_id}/stock/receive", data={"quantity": "50"})
    created = client.post("/gifts/campaigns/new", data=CAMPAIGN)
    assert created.status_code == 303
    campaign_id = int(created.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        assert campaign.occasion == "中秋" and campaign.ends_on.month == 9  # the festival's date filled in
    assert f'id="campaign-{campaign_id}"' in client.get("/gifts/campaigns").get_data(as_text=True)
    prospect = make_client(app, manager, "意向客户甲有限公司", stage="prospect")
    another = make_client(app, manager, "意向客户乙有限公司", stage="prospect")
    vip = make_client(app, manager, "VIP客户有限公司", tier="important", vip_status="vip")
    specialist = app.test_client()
    login_as("specialist", on=specialist)
    url = f"/gifts/campaigns/{campaign_id}/allocations"
    listed = specialist.post(url, data={"client_id": prospect, "gift_id": gift_id, "quantity": "1"})
    assert listed.status_code == 303
    full = specialist.post(url, data={"client_id": another, "gift_id": gift_id, "quantity": "1"})
    assert full.status_code == 422 and "该类别的名额已满" in full.get_data(as_text=True)
    # A VIP list is the customer-service manager's to compile.
    assert (
        specialist.post(url, data={"client_id": vip, "gift_id": gift_id, "quantity": "1"}).status_code == 403
    )
    assert client.post(url, data={"client_id": vip, "gift_id": gift_id, "quantity": "2"}).status_code == 303
    page = client.get(f"/gifts/campaigns/{campaign_id}").get_data(as_text=True)
    assert len(re.findall(r'id="allocation-\d+"', page)) == 2 and "¥450.00" in page  # 150 + 300
    assert client.post(url, data={"client_id": "x", "gift_id": gift_id}).status_code == 422
    sales = app.test_client()
    login_as("sales", on=sales)
    assert sales.get("/gifts/campaigns").status_code == 403


def test_a_vip_list_approved_by_the_director_and_a_gift_sent_through_the_pages(app, client, login_as):
    manager = login_as("manager")
    gift_id = int(client.post("/gifts/new", data=GIFT).headers["Location"].rsplit("/", 1)[1])
    client.post(f"/gifts/{gift_id}/stock/receive", data={"quantity": "10"})
    campaign_id = int(
        client.post("/gifts/campaigns/new", data=CAMPAIGN).headers["Location"].rsplit("/", 1)[1]
    )
    vip = make_client(app, manager, "VIP客户有限公司", tier="important", vip_status="vip")
    listed = client.post(
        f"/gifts/campaigns/{campaign_id}/allocations",
        data={"client_id": vip, "gift_id": gift_id, "quantity": "1"},
    )
    assert listed.status_code == 303
    base = f"/gifts/campaigns/{campaign_id}/lists/vip"
    assert client.post(f"{base}/submit").status_code == 303
    assert client.post(f"{base}/approve").status_code == 403  # the manager does not approve a VIP list
    director = app.test_client()
    login_as("director", on=director)
    waiting = director.get("/").get_data(as_text=True)
    assert "待审批的馈赠名单" in waiting and f'id="today-gift-list-{campaign_id}-vip"' in waiting
    page = director.get(f"/gifts/campaigns/{campaign_id}").get_data(as_text=True)
    assert 'id="approve-vip"' in page
    assert director.post(f"{base}/return", data={"comment": ""}).status_code == 422
    assert director.post(f"{base}/approve").status_code == 303
    allocation_id = int(
        re.search(
            r'id="send-(\d+)"', client.get(f"/gifts/campaigns/{campaign_id}").get_data(as_text=True)
        ).group(1)
    )
    assert (
        client.post(f"/gifts/allocations/{allocation_id}/send", data={"delivery": "快递"}).status_code == 303
    )
    assert "已发放" in client.get(f"/gifts/campaigns/{campaign_id}").get_data(as_text=True)
    assert client.post(f"/gifts/allocations/{allocation_id}/send").status_code == 409  # sent already
    assert client.post(f"/gifts/campaigns/{campaign_id}/lists/gold/submit").status_code == 404


def test_the_report_on_a_hand_computed_set_and_its_export(app, client, login_as):
    manager = login_as("manager")
    gift_id = int(client.post("/gifts/new", data=GIFT).headers["Location"].rsplit("/", 1)[1])
    client.post(f"/gifts/{gift_id}/stock/receive", data={"quantity": "10"})
    campaign_id = int(
        client.post("/gifts/campaigns/new", data=CAMPAIGN).headers["Location"].rsplit("/", 1)[1]
    )
    url = f"/gifts/campaigns/{campaign_id}/allocations"
    for name, quantity in (("VIP甲有限公司", "2"), ("VIP乙有限公司", "3")):
        vip = make_client(app, manager, name, tier="important", vip_status="vip")
        assert (
            client.post(url, data={"client_id": vip, "gift_id": gift_id, "quantity": quantity}).status_code
            == 303
        )
    prospect = make_client(app, manager, "意向客户有限公司", stage="prospect")
    assert (
        client.post(url, data={"client_id": prospect, "gift_id": gift_id, "quantity": "1"}).status_code == 303
    )
    page = client.get(f"/gifts/campaigns/{campaign_id}/report").get_data(as_text=True)
    # VIP: 2 people, 5 × 150 = 750; prospects: 1, 150; in all 3 people, 900 of 5000.
    vip_row = re.search(r'<tr id="report-vip">(.*?)</tr>', page, re.S).group(1)
    assert "2 / 10" in vip_row and "¥750.00" in vip_row
    total = re.search(r'<tr id="report-total">(.*?)</tr>', page, re.S).group(1)
    assert "¥900.00 / ¥5000.00" in total
    workbook = client.get(f"/gifts/campaigns/{campaign_id}/report?format=xlsx")
    assert workbook.status_code == 200 and workbook.data[:2] == b"PK"
    sheet = load_workbook(io.BytesIO(workbook.data))["按类别"]
    assert [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)][:3] == [150.0, 750.0, 0.0]
    specialist = app.test_client()
    login_as("specialist", on=specialist)
    assert specialist.get(f"/gifts/campaigns/{campaign_id}/report").status_code == 403


def test_the_list_form_says_at_once_why_the_plan_refuses(app, client, hx_client, login_as):
    manager = login_as("manager")
    gift_id = int(client.post("/gifts/new", data=GIFT).headers["Location"].rsplit("/", 1)[1])
    campaign_id = int(
        client.post("/gifts/campaigns/new", data=CAMPAIGN).headers["Location"].rsplit("/", 1)[1]
    )
    vip = make_client(app, manager, "VIP客户有限公司", tier="important", vip_status="vip")
    login_as("manager", on=hx_client)
    url = f"/gifts/campaigns/{campaign_id}/check"
    empty = hx_client.post(url, data={"client_id": vip, "gift_id": gift_id, "quantity": "1"}).get_data(
        as_text=True
    )
    assert empty.startswith('<p id="allocation-check"') and "礼品库存不足" in empty  # nothing received yet
    client.post(f"/gifts/{gift_id}/stock/receive", data={"quantity": "10"})
    fine = hx_client.post(url, data={"client_id": vip, "gift_id": gift_id, "quantity": "1"}).get_data(
        as_text=True
    )
    assert "可以列入名单" in fine
    dear = hx_client.post(url, data={"client_id": vip, "gift_id": gift_id, "quantity": "4"}).get_data(
        as_text=True
    )
    assert "超过该类别每份礼品的上限" in dear  # 4 × 150 > 500


def test_a_tier_added_at_once_each_by_the_plans_rules(app, client, login_as):
    manager = login_as("manager")
    gift_id = int(client.post("/gifts/new", data=GIFT).headers["Location"].rsplit("/", 1)[1])
    client.post(f"/gifts/{gift_id}/stock/receive", data={"quantity": "10"})
    campaign = {**CAMPAIGN, "key_quota": "2"}
    campaign_id = int(
        client.post("/gifts/campaigns/new", data=campaign).headers["Location"].rsplit("/", 1)[1]
    )
    for n in range(3):
        make_client(app, manager, f"重点客户{n}有限公司", tier="key")
    make_client(app, manager, "流失的重点客户有限公司", tier="key", stage="lost")
    added = client.post(
        f"/gifts/campaigns/{campaign_id}/allocations/bulk",
        data={"tier": "key", "gift_id": gift_id, "quantity": "1"},
        follow_redirects=True,
    )
    text = added.get_data(as_text=True)
    assert "已列入 2 个客户" in text and "该类别的名额已满。 1" in text and "已流失" in text
    assert len(re.findall(r'id="allocation-\d+"', text)) == 2
    nothing = client.post(
        f"/gifts/campaigns/{campaign_id}/allocations/bulk", data={"gift_id": gift_id, "quantity": "1"}
    )
    assert nothing.status_code == 422  # no search, group or tier: not everyone at once
