"""Search the knowledge base as you type, in real Chromium."""
import pytest
import sqlalchemy as sa

from crmweb.extensions import db
from crmweb.kb import services
from crmweb.kb.models import Article
from crmweb.timeutil import utcnow
from tests.browser.test_sign_in import sign_in
from tests.conftest import gen_user
from tests.kb.test_pages import ARTICLES

pytestmark = pytest.mark.browser


def test_search_as_you_type_in_traditional_characters(app, live_server, page):
    with app.app_context():
        services.ensure_default_synonyms(utcnow())
        db.session.commit()
        services.import_articles(ARTICLES, utcnow())
        invoice = db.session.scalar(sa.select(Article.id).where(Article.ref == "r2"))
    user = gen_user(app, "reception")
    sign_in(page, live_server, user.username)
    page.click("#nav-kb-index")
    page.wait_for_url(f"{live_server}/kb")
    page.evaluate("window.stillTheSameDocument = true")
    page.locator("#kb-q").press_sequentially("發票", delay=50)
    page.locator(f"#article-{invoice}").wait_for()
    assert page.locator(f"#article-{invoice} mark").first.inner_text() == "发票"
    assert page.url.endswith("/kb?q=%E7%99%BC%E7%A5%A8")
    page.locator("#kb-q").fill("")
    page.locator("#kb-q").press_sequentially("无人机", delay=50)
    page.locator("#kb-no-results").wait_for()
    assert page.evaluate("window.stillTheSameDocument") is True
    page.locator("#kb-q").fill("开票")
    page.locator(f"#article-{invoice} a").click()
    page.wait_for_url(f"{live_server}/kb/{invoice}?s=*")
    page.click("#votes button[value=yes]")
    page.locator("#votes button[aria-pressed=true]").wait_for()
    assert page.console_errors == []


def test_nothing_is_searched_or_logged_while_a_pinyin_word_is_being_composed(app, live_server, page):
    from crmweb.kb.models import SearchLog

    with app.app_context():
        services.import_articles(ARTICLES, utcnow())
    sign_in(page, live_server, gen_user(app, "service").username)
    page.goto(f"{live_server}/kb")
    searches = []
    page.on("request", lambda request: "/kb?q=" in request.url and searches.append(request.url))
    field = page.locator("#kb-q")
    field.focus()
    field.dispatch_event("compositionstart")
    field.press_sequentially("bao'xiu", delay=30)
    page.wait_for_timeout(600)  # longer than the search's typing delay
    assert searches == []
    field.fill("报修")
    field.dispatch_event("compositionend")
    page.locator("#kb-results article").first.wait_for()
    assert len(searches) == 1 and searches[0].endswith("q=%E6%8A%A5%E4%BF%AE")
    with app.app_context():
        assert db.session.scalars(sa.select(SearchLog.query)).all() == ["报修"]


def test_copy_answer_puts_the_text_ready_for_a_chat(app, live_server, page):
    with app.app_context():
        services.import_articles(ARTICLES, utcnow())
        article_id = db.session.scalar(sa.select(Article.id).where(Article.ref == "r1"))
    sign_in(page, live_server, gen_user(app, "service").username)
    page.goto(f"{live_server}/kb/{article_id}")
    page.click("button.copy-answer")
    page.locator("button.copy-answer", has_text="已复制").wait_for()
    assert page.console_errors == []
