"""axe-core (vendored under tests/browser/vendor, never served by the app) on the main page of every
area, as the roles that use them, in real Chromium: no serious or critical violation."""

from pathlib import Path

import pytest

from tests.activities.helpers import new_activity
from tests.browser.test_sign_in import sign_in
from tests.clients.helpers import make_client
from tests.conftest import gen_user

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SERIOUS = ("serious", "critical")


def violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{item['id']} ({item['impact']}): {node['target']}"
        for item in found
        if item["impact"] in SERIOUS
        for node in item["nodes"][:3]
    ]


def test_the_main_pages_have_no_serious_accessibility_violations(app, live_server, browser, client, login_as):
    manager = login_as("manager")
    client_id = make_client(app, manager, "徐州华通机械有限公司", tier="key",
                            contacts=[{"name": "王明", "mobile": "+8613812345678"}])
    activity_id = new_activity(app, client)
    desk, admin = gen_user(app, "reception"), gen_user(app, "admin")
    manager_pages = [
        "/", "/clients", f"/clients/{client_id}", "/clients/new", "/clients/import", "/kb", "/kb/new",
        "/callbacks", "/plans", "/plans/new", "/cases", "/cases/new", "/reports", "/reports/roster",
        "/reports/pareto", "/reports/risk", "/reports/satisfaction", "/bookings", "/bookings/new", "/gifts",
        "/gifts/campaigns", "/messages", "/messages/send", "/activities", "/activities/new",
        f"/activities/{activity_id}", "/contracts", f"/clients/{client_id}/contracts/new", "/account/contact",
    ]
    pages = {
        manager.username: manager_pages,
        desk.username: ["/reception", "/kb"],
        admin.username: ["/admin/users", "/admin/audit", "/admin/backups"],
    }
    # The CSP forbids scripts the app does not serve: axe is let in for the test alone.
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    found = {}
    for username, paths in pages.items():
        page = context.new_page()
        sign_in(page, live_server, username)
        for path in paths:
            page.goto(live_server + path)
            problems = violations(page)
            if problems:
                found[path] = problems
        page.close()
        context.clear_cookies()
    context.close()
    assert found == {}
