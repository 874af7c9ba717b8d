"""One URL, page or fragment (STYLE.md rule 1), and errors that work as both."""
import pytest

from tests.conftest import gen_user, log_in


def signed_in_admin(app, client):
    admin = gen_user(app, "admin")
    log_in(client, admin.username)
    return admin


def test_plain_request_gets_the_whole_page(app, client):
    signed_in_admin(app, client)
    response = client.get("/admin/audit")
    assert "<html" in response.get_data(as_text=True)
    assert "HX-Request" in response.headers["Vary"]


def test_htmx_request_gets_only_the_fragment(app, hx_client):
    signed_in_admin(app, hx_client)
    response = hx_client.get("/admin/audit")
    assert "<html" not in response.get_data(as_text=True)
    assert "HX-Request" in response.headers["Vary"]


def test_boosted_and_history_restore_requests_get_whole_pages(app, hx_client):
    signed_in_admin(app, hx_client)
    for header in ("HX-Boosted", "HX-History-Restore-Request"):
        page = hx_client.get("/admin/audit", headers={header: "true"}).get_data(as_text=True)
        assert "<html" in page, header


def test_error_as_a_page(app, client):
    signed_in_admin(app, client)
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<html" in page and "找不到您要的页面或记录" in page


def test_error_as_a_fragment_goes_to_the_message_area(app, hx_client):
    user = gen_user(app, "sales")
    log_in(hx_client, user.username)
    response = hx_client.get("/admin/users")
    assert response.status_code == 403
    assert response.headers["HX-Retarget"] == "#flashes"
    page = response.get_data(as_text=True)
    assert "<html" not in page and "您没有权限执行此操作" in page


def test_method_not_allowed_is_a_clear_405(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "不支持此请求方式" in response.get_data(as_text=True)


def test_unexpected_error_shows_no_traceback(app, client):
    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")
    boom.required_permission = "public"
    response = client.get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in page and "Traceback" not in page
    assert "系统出错了" in page


@pytest.mark.parametrize("path", ["/login", "/healthz", "/clients", "/no-such-page"])
def test_every_answer_varies_on_hx_request(client, path):
    assert "HX-Request" in client.get(path).headers.get("Vary", "")
