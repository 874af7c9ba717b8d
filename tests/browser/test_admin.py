"""The audit log's filters, in real Chromium."""
import pytest

from tests.browser.test_sign_in import sign_in
from tests.conftest import gen_user

pytestmark = pytest.mark.browser


def test_the_audit_log_filters_as_one_types_and_not_again_as_a_field_is_left(app, live_server, page):
    """Filtering again as a field lost focus swapped the table under the pointer while a link in
    it was being clicked (as the client list did)."""
    admin = gen_user(app, "admin")
    sign_in(page, live_server, admin.username)
    page.goto(f"{live_server}/admin/audit")
    searches = []
    page.on("request", lambda request: "/admin/audit?" in request.url and searches.append(request.url))

    with page.expect_response(lambda response: "actor=" + admin.username[:4] in response.url):
        page.locator("#actor").press_sequentially(admin.username[:4], delay=40)
    page.locator("#actor").blur()
    with page.expect_response(lambda response: "action=logout" in response.url):
        page.select_option("#action", "logout")
    assert len(searches) == 2, searches
