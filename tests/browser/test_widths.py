"""The main pages at a desktop's and a phone's width: nothing wider than the screen, the menu folds
away on the phone, numbers can be called and mails written with a tap."""
import pytest

from tests.browser.test_sign_in import sign_in
from tests.clients.helpers import make_client
from tests.conftest import gen_user
from tests.kb.test_pages import ARTICLES

pytestmark = pytest.mark.browser

PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 900}
LONG_NAME = "江苏省徐州市铜山区华通工程机械制造与进出口贸易有限责任公司"


@pytest.fixture
def archive(app):
    from crmweb.extensions import db
    from crmweb.kb import services as kb
    from crmweb.kb.models import Article
    from crmweb.timeutil import utcnow

    manager = gen_user(app, "manager")
    client_id = make_client(app, manager, LONG_NAME, contacts=[
        {"name": "曾小明", "mobile": "+8613812345678", "email": "zeng.xiaoming@huatong-machinery.com.cn",
         "phone": "+8651683881234", "position": "采购部经理"}])
    with app.app_context():
        kb.import_articles(ARTICLES, utcnow())
        article_id = db.session.scalar(db.select(Article.id))
    return manager, client_id, article_id


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_main_pages_fit_the_screen(app, live_server, browser, archive, viewport):
    manager, client_id, article_id = archive
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    sign_in(page, live_server, manager.username)
    paths = ["/", "/clients", f"/clients?q={LONG_NAME[:4]}", f"/clients/{client_id}", "/clients/new",
             "/clients/import", "/clients/access-requests", "/clients/settings", "/clients/birthdays",
             "/kb", "/kb?q=报修",
             f"/kb/{article_id}", "/kb/browse", "/account/password", "/bookings", "/bookings/new",
             "/bookings/rooms", "/bookings/rooms?view=week", "/reception", "/bookings/settings",
             "/messages", "/messages/send", "/messages/templates/new", "/messages/greetings", "/gifts",
             "/gifts/new", "/gifts/campaigns", "/gifts/campaigns/new", "/gifts/reports/clients", "/callbacks",
             "/callbacks/rules", "/callbacks/campaigns", "/callbacks/campaigns/new", "/plans",
             "/cases", "/cases/new", "/cases/setup", "/cases/reports", "/reports", "/reports/roster",
             "/reports/indicators", "/reports/pareto", "/reports/risk", "/reports/churn",
             "/reports/satisfaction", "/reports/effort", "/activities", "/activities/new",
             "/activities/trials", "/contracts", f"/clients/{client_id}/contracts/new"]
    too_wide = {}
    for path in paths:
        page.goto(live_server + path)
        if _overflow(page) > 0:
            too_wide[path] = _overflow(page)
    assert too_wide == {}
    page.context.close()


def test_on_a_phone_the_menu_folds_and_the_client_page_is_made_for_a_thumb(app, live_server, browser,
                                                                         archive):
    manager, client_id, _ = archive
    page = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    sign_in(page, live_server, manager.username)
    assert not page.locator("#nav-clients-index").is_visible()
    page.click("#menu-toggle")
    page.click("#nav-clients-index")
    page.wait_for_url(f"{live_server}/clients")
    page.goto(f"{live_server}/clients/{client_id}")
    assert page.locator("a[href='tel:+8613812345678']").first.is_visible()
    assert page.locator("a[href='mailto:zeng.xiaoming@huatong-machinery.com.cn']").is_visible()
    # The record buttons come first on a phone, and open the form where it is.
    shortcut = page.locator(".record-shortcuts a").first
    assert shortcut.bounding_box()["y"] < page.locator("#contacts").bounding_box()["y"]
    shortcut.click()
    page.locator("#record-interaction textarea").first.wait_for()  # its fields arrive as it opens
    assert page.locator("#record-interaction textarea").first.is_visible()
    # A long company name wraps as words do, not a character a line.
    assert page.locator("h1").bounding_box()["height"] < 120
    page.context.close()


def _card_labels(page, row: str) -> list[str]:
    """What a phone shows before each cell of a list row (its ::before content)."""
    return page.eval_on_selector_all(
        f"{row} td", "cells => cells.map(c => getComputedStyle(c, '::before').content)")


def test_on_a_phone_list_cards_name_each_value(app, live_server, browser, archive):
    manager, client_id, _ = archive
    page = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    sign_in(page, live_server, manager.username)
    page.goto(f"{live_server}/clients")
    labels = _card_labels(page, f"#client-{client_id}")
    # The checkbox and the name (the card's title) go unlabelled; owner, stage, contact, date named.
    assert labels[:2] == ["none", "none"]
    assert '"负责人："' in labels and '"最近联系："' in labels
    # Rows that arrive by htmx (search as one types) are labelled too.
    page.fill("#q", LONG_NAME[:4])
    page.wait_for_url("**/clients?q=*")
    page.locator(f"#client-{client_id} td[data-label]").first.wait_for()
    assert '"负责人："' in _card_labels(page, f"#client-{client_id}")
    # On a desktop the table has its header row, and the cells no labels of their own.
    page.set_viewport_size(DESKTOP)
    assert set(_card_labels(page, f"#client-{client_id}")) == {"none"}
    page.context.close()


def test_admin_pages_fit_a_phone(app, live_server, browser):
    admin = gen_user(app, "admin")
    for role in ("sales", "manager", "specialist"):
        gen_user(app, role)
    page = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    sign_in(page, live_server, admin.username)
    for path in ("/admin/users", "/admin/audit"):
        page.goto(live_server + path)
        assert _overflow(page) <= 0, path
    page.context.close()
