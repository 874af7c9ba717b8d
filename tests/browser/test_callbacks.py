"""A callback made from the "today" page: the call's script, the result recorded, and the
service card on the client's timeline, in real Chromium."""
import pytest
from playwright.sync_api import expect

from tests.browser.test_sign_in import sign_in
from tests.callbacks.helpers import a_working_day_moment, record_event
from tests.clients.helpers import make_client
from tests.conftest import gen_user

pytestmark = pytest.mark.browser


def test_record_a_callback_from_the_dashboard_and_see_it_on_the_timeline(app, live_server, browser):
    specialist = gen_user(app, "specialist")
    client_id = make_client(app, specialist, "徐州华通机械有限公司", contacts=[
        {"name": "赵强", "position": "设备部经理", "mobile": "13912345678"}])
    record_event(app, specialist, client_id, "complaint", a_working_day_moment(app))

    page = browser.new_context(locale="zh-CN").new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, specialist.username)
    page.goto(f"{live_server}/")
    card = page.locator("#today-callbacks")
    expect(card).to_contain_text("徐州华通机械有限公司")
    card.get_by_role("link", name="徐州华通机械有限公司").click()
    expect(page.locator("#callback-script")).to_contain_text("请问是赵经理吗")
    page.check("input[name=outcome][value=reached]")
    page.select_option("#satisfaction", "4")
    page.fill("#notes", "配件已更换，客户满意")
    page.click("#record-callback")
    page.wait_for_url(f"{live_server}/")
    expect(page.locator("#today-callbacks")).to_contain_text("今天没有要打的回访电话")
    page.goto(f"{live_server}/clients/{client_id}")
    expect(page.locator("body")).to_contain_text("用户跟踪服务卡")
    expect(page.locator("body")).to_contain_text("配件已更换，客户满意")
    assert errors == []
    page.context.close()
