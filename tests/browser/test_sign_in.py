"""A person signs in, moves around with htmx, disables a colleague, signs out."""
import pytest

from tests.conftest import TEST_PASSWORD, gen_user

pytestmark = pytest.mark.browser


def sign_in(page, live_server, username):
    page.goto(f"{live_server}/login")
    page.fill("#username", username)
    page.fill("#password", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{live_server}/")


def test_sign_in_navigate_with_htmx_and_sign_out(app, live_server, page):
    admin = gen_user(app, "admin", display_name="王管理员")
    colleague = gen_user(app, "sales", display_name="周销售")

    sign_in(page, live_server, admin.username)
    assert page.locator("h1").inner_text() == "今日工作台"
    assert "王管理员" in page.locator(".account").inner_text()

    # hx-boost: navigating keeps the same document (no full reload), so a marker survives.
    page.evaluate("window.stillTheSameDocument = true")
    page.click("#nav-admin-users")
    page.wait_for_url(f"{live_server}/admin/users")
    assert page.locator("h1").inner_text() == "用户管理"
    assert page.evaluate("window.stillTheSameDocument") is True

    # A row action swaps only that row and shows the message out of band.
    page.on("dialog", lambda dialog: dialog.accept())
    row = page.locator(f"#user-{colleague.id}")
    row.get_by_role("button", name="停用").click()
    page.locator(f"#user-{colleague.id} >> text=已停用").wait_for()
    assert "周销售" in page.locator("#flashes").inner_text()
    assert page.evaluate("window.stillTheSameDocument") is True

    page.click("#logout")
    page.wait_for_url(f"{live_server}/login")
    assert "您已安全退出" in page.locator("#flashes").inner_text()
    assert page.console_errors == []


def test_wrong_password_shows_the_message_beside_the_field(app, live_server, page):
    user = gen_user(app, "service")
    page.goto(f"{live_server}/login")
    page.fill("#username", user.username)
    page.fill("#password", "not-the-password")
    page.click("#login-form button[type=submit]")
    assert "用户名或密码错误" in page.locator("#login-form .error").inner_text()
    # The refused login is an HTTP 401, which Chromium logs; nothing else may be there.
    assert [e for e in page.console_errors if "status of 401" not in e] == []
