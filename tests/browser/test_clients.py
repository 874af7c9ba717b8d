"""Search as you type, and a section edited in place, in real Chromium."""
import pytest
from playwright.sync_api import expect

from tests.browser.test_sign_in import sign_in
from tests.clients.helpers import make_client
from tests.conftest import gen_user

pytestmark = pytest.mark.browser


def test_search_as_you_type_and_edit_in_place(app, live_server, page):
    owner = gen_user(app, "specialist")
    huatong = make_client(app, owner, "徐州华通机械有限公司",
                          contacts=[{"name": "曾小明", "mobile": "+8613812345678"}])
    jinling = make_client(app, owner, "南京金陵电子科技股份有限公司")
    sign_in(page, live_server, owner.username)
    page.goto(f"{live_server}/clients")
    page.evaluate("window.stillTheSameDocument = true")

    page.locator("#q").press_sequentially("xzht", delay=40)
    page.locator(f"#client-{jinling}").wait_for(state="detached")
    assert page.locator(f"#client-{huatong}").is_visible()
    assert page.url.endswith("/clients?q=xzht")  # the search can be bookmarked

    page.locator("#q").fill("")
    page.locator("#q").press_sequentially("5678", delay=40)
    page.wait_for_url(f"{live_server}/clients?q=5678")
    assert page.locator(f"#client-{huatong}").is_visible()
    assert page.locator(f"#client-{jinling}").count() == 0
    assert page.evaluate("window.stillTheSameDocument") is True

    page.click(f"#client-{huatong} a")
    page.wait_for_url(f"{live_server}/clients/{huatong}")
    page.evaluate("window.stillTheSameDocument = true")
    page.click("#section-basics .edit-link")
    # htmx puts the cursor in the first field when it settles the new form (and drops its class
    # htmx-added); Chromium may focus that field sooner, so typing before the settle could have
    # htmx move the cursor mid-word. People are slower than htmx's 20 ms; the test waits.
    settled = "#section-basics:not(.htmx-added)"
    expect(page.locator(f"{settled} input[name=name]")).to_be_focused()
    page.locator("#section-basics input[name=address]").fill("徐州市铜山区银山路 1 号")
    page.locator("#section-basics input[name=name]").fill("")
    page.click("#section-basics button[type=submit]")
    page.locator(f"{settled} .error").wait_for()
    assert "请输入客户名称" in page.locator("#section-basics .error").inner_text()
    error_id = page.locator("#section-basics input[name=name]").get_attribute("aria-describedby")
    assert page.locator(f"#{error_id}").inner_text() == page.locator("#section-basics .error").inner_text()
    # The returned form keeps what was typed; htmx settles it and focuses its first field again.
    expect(page.locator(f"{settled} input[name=name]")).to_be_focused()
    expect(page.locator("#section-basics input[name=address]")).to_have_value("徐州市铜山区银山路 1 号")
    page.locator("#section-basics input[name=name]").fill("徐州华通机械有限公司")
    page.locator("#section-basics input[name=staff_count]").fill("320")
    page.click("#section-basics button[type=submit]")
    page.locator("#section-basics dl").wait_for()
    assert "徐州市铜山区银山路 1 号" in page.locator("#section-basics").inner_text()
    assert "基本情况" in page.locator("#flashes").inner_text()
    expect(page.locator("#section-basics .edit-link")).to_be_focused()  # back where one was
    # Esc leaves the form as it was; the error of a field is tied to it for screen readers.
    page.click("#section-basics .edit-link")
    page.locator(f"{settled} form").wait_for()
    page.locator("#section-basics input[name=name]").press("Escape")
    page.locator("#section-basics dl").wait_for()
    assert page.evaluate("window.stillTheSameDocument") is True
    # Chromium logs the 422 answer to the invalid form; nothing else may be there.
    assert [e for e in page.console_errors if "status of 422" not in e] == []


def test_leaving_the_search_box_does_not_search_again_but_each_filter_does(app, live_server, page):
    """A search that ran again as the box lost focus swapped the results under the pointer while
    the result was being clicked: the click landed on no link."""
    owner = gen_user(app, "specialist")
    make_client(app, owner, "徐州华通机械有限公司")
    jinling = make_client(app, owner, "南京金陵电子科技股份有限公司")
    sign_in(page, live_server, owner.username)
    page.goto(f"{live_server}/clients")
    page.locator("#q").press_sequentially("xzht", delay=40)
    page.locator(f"#client-{jinling}").wait_for(state="detached")
    searches = []
    page.on("request", lambda request: "/clients?" in request.url and searches.append(request.url))

    page.locator("#q").blur()
    with page.expect_response(lambda response: "stage=lost" in response.url):
        page.select_option("#stage", "lost")
    with page.expect_response(lambda response: "overdue=1" in response.url):
        page.check("#overdue")
    assert len(searches) == 2, searches


def test_duplicates_show_while_typing_a_new_clients_name(app, live_server, page):
    make_client(app, gen_user(app, "sales", display_name="周销售"), "徐州华通机械有限公司", tier="key")
    sign_in(page, live_server, gen_user(app, "specialist").username)
    page.goto(f"{live_server}/clients/new")
    page.locator("#name").press_sequentially("徐州华通机械有限责任公司", delay=20)
    page.locator("#duplicates li").wait_for()
    assert "周销售" in page.locator("#duplicates").inner_text()


def test_recording_an_interaction_proposes_now_and_stays_on_the_client_page(app, live_server, page):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner, "徐州华通机械有限公司")
    sign_in(page, live_server, owner.username)
    page.goto(f"{live_server}/clients/{client_id}")
    page.click("#record-interaction summary")
    assert page.locator("#interaction-occurred_at").input_value()  # the time is filled in: now
    page.click("#record-interaction button[type=submit]")
    page.locator("#record-interaction .error").wait_for()
    assert page.url == f"{live_server}/clients/{client_id}"
    page.locator("#interaction-content").fill("电话回访，设备运行正常")
    page.click("#record-interaction button[type=submit]")
    page.locator("#timeline li[id^=interaction-]").wait_for()
    assert "电话回访" in page.locator("#timeline").inner_text()
    assert page.url.startswith(f"{live_server}/clients/{client_id}")


def test_a_printed_client_page_has_no_menus_forms_or_edit_links(app, live_server, page):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner, "徐州华通机械有限公司")
    sign_in(page, live_server, owner.username)
    page.goto(f"{live_server}/clients/{client_id}")
    page.click("#record-interaction summary")
    page.locator("#interaction-content").fill("到访洽谈")
    page.click("#record-interaction button[type=submit]")
    page.locator("#timeline li[id^=interaction-]").wait_for()
    # The knowledge-base link is told apart from the text by an underline, not by colour alone.
    link = page.locator("#timeline a.kb-link").first
    assert "underline" in link.evaluate("e => getComputedStyle(e).textDecorationLine")
    page.emulate_media(media="print")
    assert not page.locator(".topbar").is_visible()
    assert not page.locator("#section-basics .edit-link").is_visible()
    assert page.locator("#section-basics dl").is_visible()
