"""A VIP gift list built in the browser, submitted by the manager, approved by the director, and a
gift marked sent, in real Chromium."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_sign_in import sign_in
from tests.clients.helpers import make_client
from tests.conftest import gen_user

pytestmark = pytest.mark.browser


def test_build_a_vip_list_have_it_approved_and_send_a_gift(app, live_server, browser):
    manager, director = gen_user(app, "manager"), gen_user(app, "director")
    client_id = make_client(app, manager, "徐州华通机械有限公司", tier="important", vip_status="vip")

    page = browser.new_context(locale="zh-CN").new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, manager.username)
    page.goto(f"{live_server}/gifts/new")
    page.fill("#name", "中秋月饼礼盒")
    page.fill("#unit_value", "150")
    page.click("#gift-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/gifts/\d+$"))
    page.fill("#receive-quantity", "20")
    page.click("#stock-receive button[type=submit]")
    expect(page.locator("#stock")).to_have_text("20")
    page.goto(f"{live_server}/gifts/campaigns/new")
    page.fill("#name", "2027 中秋礼品")
    page.select_option("#festival", "中秋")
    page.fill("#budget", "5000")
    page.fill("#vip_cap", "500")
    page.fill("#vip_quota", "10")
    page.click("#campaign-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/gifts/campaigns/\d+$"))
    campaign_url = page.url
    page.locator("#client_q").press_sequentially("华通", delay=40)
    page.click(f"[data-client-id='{client_id}']")
    expect(page.locator("#allocation-check")).to_contain_text("可以列入名单")
    page.click("#allocation-form button[type=submit]")
    expect(page.locator("#submit-vip")).to_be_visible()
    page.click("#submit-vip")
    expect(page.locator("#category-vip")).to_contain_text("待审批")
    page.context.close()

    page = browser.new_context(locale="zh-CN").new_page()
    sign_in(page, live_server, director.username)
    page.goto(campaign_url)
    page.click("#approve-vip")
    expect(page.locator("#category-vip")).to_contain_text("已批准")
    page.context.close()

    page = browser.new_context(locale="zh-CN").new_page()
    sign_in(page, live_server, manager.username)
    page.goto(campaign_url)
    send = page.locator("[id^=send-]")
    send.locator("xpath=..").locator("input[name=delivery]").fill("专人送达")
    send.click()
    expect(page.locator("table").nth(1)).to_contain_text("已发放")
    page.goto(f"{live_server}/clients/{client_id}")
    expect(page.locator("#gift-ledger")).to_contain_text("中秋月饼礼盒")
    assert errors == []
    page.context.close()
