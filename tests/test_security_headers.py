"""Headers on every response, cookies that scripts cannot read."""
from tests.conftest import gen_user, log_in


def assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_every_kind_of_response_carries_the_headers(app, client):
    for path in ("/login", "/healthz", "/static/css/app.css", "/no-such-page"):
        assert_security_headers(client.get(path))
    user = gen_user(app, "manager")
    assert_security_headers(log_in(client, user.username))
    assert_security_headers(client.get("/"))


def test_session_cookie_is_httponly_and_samesite_lax(app, client):
    user = gen_user(app, "manager")
    response = log_in(client, user.username)
    cookie = next(v for k, v in response.headers.items()
                  if k == "Set-Cookie" and v.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_signed_in_pages_are_not_cached(app, client):
    user = gen_user(app, "manager")
    log_in(client, user.username)
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_no_page_has_inline_scripts_or_styles(app, client):
    admin = gen_user(app, "admin")
    log_in(client, admin.username)
    for path in ("/", "/admin/users", "/admin/audit", "/account/password"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page and "style=" not in page and "<style" not in page, path
        assert "onclick" not in page.lower(), path


def test_static_files_cost_no_database_query(app, client):
    from sqlalchemy import event

    from crmweb.extensions import db
    user = gen_user(app, "manager")
    log_in(client, user.username)
    statements = []

    def count(*_args):
        statements.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get("/static/css/app.css").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert statements == []
