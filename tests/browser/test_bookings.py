"""A visit booked in the form (the rules answering as it is filled in), approved, its passes
printed, and a visitor checked in at the desk, in real Chromium."""
import re

import pytest
from playwright.sync_api import expect

from tests.bookings.helpers import book_today, make_room, working_day_after
from tests.browser.test_sign_in import sign_in
from tests.clients.helpers import make_client
from tests.conftest import gen_user

pytestmark = pytest.mark.browser


def test_book_approve_print_and_check_in(app, live_server, browser):
    sales, manager, desk = gen_user(app, "sales"), gen_user(app, "manager"), gen_user(app, "reception")
    client_id = make_client(app, sales, "徐州华通机械有限公司", tier="key")
    room_id = make_room(app, "一号会议室", capacity=12)
    day = working_day_after(app, 2).isoformat()

    page = browser.new_context(locale="zh-CN").new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, sales.username)
    page.goto(f"{live_server}/bookings/new")
    page.locator("#client_q").press_sequentially("华通", delay=40)
    page.click(f"[data-client-id='{client_id}']")
    # The rules of the client's tier appear as soon as the client is chosen.
    expect(page.locator("#guidance")).to_contain_text("由高级管理人员陪同")
    page.fill("#starts_at", f"{day}T09:30")
    page.fill("#ends_at", f"{day}T11:00")
    page.select_option("#room_id", str(room_id))
    page.fill("#visitors", "王经理\n李工程师")
    page.fill("#purpose", "考察生产线")
    expect(page.locator("#room-free")).to_be_visible()
    page.click("#booking-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/bookings/\d+$"))
    booking_id = int(page.url.rsplit("/", 1)[1])
    expect(page.locator(f"#booking-{booking_id}")).to_contain_text("待批准")
    page.context.close()

    page = browser.new_context(locale="zh-CN").new_page()
    sign_in(page, live_server, manager.username)
    page.goto(f"{live_server}/bookings/{booking_id}")
    page.select_option("#guide_id", str(sales.id))
    page.click("form[action$='/prepare'] button[type=submit]")
    page.click("#approve")
    expect(page.locator("#booking-status")).to_contain_text("已批准")
    page.click("text=打印通行证")
    page.wait_for_url(f"{live_server}/bookings/{booking_id}/passes")
    expect(page.locator("article.pass")).to_have_count(2)
    expect(page.locator("article.pass svg")).to_have_count(2)
    page.emulate_media(media="print")  # one card a page, nothing of the menus
    assert not page.locator(".topbar").is_visible()
    page.context.close()

    _today_id, codes = book_today(app, manager.id, client_id, make_room(app, "贵宾接待室", capacity=8))
    page = browser.new_context(locale="zh-CN").new_page()
    sign_in(page, live_server, desk.username)
    page.goto(f"{live_server}/reception")
    page.fill("#code", codes[0])
    page.press("#code", "Enter")  # what a USB scanner does after typing the code
    expect(page.locator("#check-in-ok")).to_contain_text("张三（徐州华通机械有限公司）已签到")
    expect(page.locator("#code")).to_be_focused()  # ready for the next visitor
    page.fill("#code", codes[0])
    page.press("#code", "Enter")
    expect(page.locator("#check-in-refused")).to_contain_text("通行证今天已经签到过")
    assert errors == []
    page.context.close()
