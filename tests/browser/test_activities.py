"""An activity in real Chromium: a manager invites key clients' key people, an invitee answers from
the link in their message, and the front desk checks them in by the pass the answer gave."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from crmweb.timeutil import utcnow
from tests.activities.helpers import INVITATION, links, local, people_to_invite, soon_today
from tests.browser.test_sign_in import sign_in
from tests.conftest import gen_user

pytestmark = pytest.mark.browser


def test_invite_answer_from_the_link_and_check_in_at_the_desk(app, live_server, browser):
    manager = gen_user(app, "manager")
    desk = gen_user(app, "reception")
    people_to_invite(app, manager)
    page = browser.new_context(locale="zh-CN").new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, manager.username)
    page.goto(f"{live_server}/messages/templates/new")
    page.fill("#name", INVITATION["name"])
    page.fill("#body", INVITATION["body"])
    page.locator("#template-form button[type=submit], form button.primary").first.click()

    page.goto(f"{live_server}/activities/new")
    starts = utcnow() + soon_today()
    page.fill("#title", "客户答谢会")
    page.fill("#starts_at", local(starts))
    page.fill("#ends_at", local(starts + timedelta(hours=2)))
    page.fill("#place", "三楼多功能厅")
    page.fill("#capacity", "20")
    page.click("#activity-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("客户答谢会")
    page.click("#invite")
    page.select_option("#tier", "key")
    page.click("#invite-form button[type=submit]")
    expect(page.locator("#count-invited")).to_have_text("2")

    guest = browser.new_context(locale="zh-CN").new_page()  # the invitee's own phone: no login
    guest.goto(f"{live_server}/activities/rsvp/{links(app, 'rsvp')['+8613812345678']}")
    expect(guest.locator("#rsvp")).to_contain_text("王明，诚邀您参加")
    guest.get_by_label("参加", exact=True).check()
    guest.click("#rsvp-form button[type=submit]")
    code = guest.locator("#pass-code").inner_text().strip()
    expect(guest.locator(".qr svg")).to_be_visible()
    guest.context.close()

    front = browser.new_context(locale="zh-CN").new_page()
    sign_in(front, live_server, desk.username)
    front.goto(f"{live_server}/reception")
    front.fill("#code", code)
    front.click("#check-in button[type=submit]")
    expect(front.locator("#check-in-ok")).to_contain_text("王明 已签到：客户答谢会")
    front.context.close()

    page.reload()
    expect(page.locator("#count-attended")).to_have_text("1")
    assert errors == []
    page.context.close()
