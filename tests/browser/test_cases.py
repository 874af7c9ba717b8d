"""A complaint opened, resolved and confirmed by the client in real Chromium: the case page, the
confirmation callback, and the case closed."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_sign_in import sign_in
from tests.clients.helpers import make_client
from tests.conftest import gen_user

pytestmark = pytest.mark.browser


def test_open_resolve_and_confirm_a_complaint(app, live_server, browser):
    specialist = gen_user(app, "specialist")
    make_client(app, specialist, "徐州华通机械有限公司", contacts=[{"name": "赵强", "mobile": "13912345678"}])

    page = browser.new_context(locale="zh-CN").new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, specialist.username)
    page.goto(f"{live_server}/cases/new")
    page.locator("#client_q").press_sequentially("华通", delay=40)
    page.locator("#client-choices [data-client-id]").first.click()
    expect(page.locator("#contact_id")).to_be_visible()  # the chosen client's contacts
    page.select_option("#contact_id", label="赵强")
    page.select_option("#kind", "complaint")
    page.select_option("#cause", "quality")
    page.fill("#description", "设备噪音大，客户要求上门检查")
    page.click("#case-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/cases/\d+$"))
    case_url = page.url
    expect(page.locator("#case-facts")).to_contain_text("赵强")
    expect(page.locator("#case-deadlines")).to_contain_text("工作小时")
    page.fill("#resolution", "已上门更换消音器")
    page.click("#case-resolve-button")
    expect(page.locator("h1")).to_contain_text("待客户确认")
    page.locator("#case-callbacks a", has_text="确认工单").click()
    page.check("input[name=outcome][value=reached]")
    page.select_option("#satisfaction", "5")
    page.click("#record-callback")
    page.goto(case_url)
    expect(page.locator("h1")).to_contain_text("已关闭")
    expect(page.locator("#case-facts")).to_contain_text("5/5")
    assert errors == []
    page.context.close()
