"""Deny by default: every endpoint declares who may use it, and each role gets exactly that."""
import pytest

from crmweb.auth.permissions import PUBLIC, ROLES, declared_permission
from tests.conftest import gen_user, log_in

PUBLIC_ENDPOINTS = {"static", "auth.login", "auth.set_language", "auth.set_password", "health.healthz",
                    # a signed link in every email, and the SMS providers' receipts and replies (a
                    # secret address): no login by design
                    "messages.unsubscribe", "messages.provider_callback",
                    # an invited person's own reply and feedback links (a secret address each)
                    "activities.rsvp", "activities.feedback"}


def test_every_endpoint_declares_a_permission(app):
    with app.test_request_context():
        undeclared = [rule.endpoint for rule in app.url_map.iter_rules()
                      if declared_permission(rule.endpoint) is None]
        public = {rule.endpoint for rule in app.url_map.iter_rules()
                  if declared_permission(rule.endpoint) == PUBLIC}
    assert undeclared == []
    assert public == PUBLIC_ENDPOINTS


def test_an_undeclared_endpoint_is_refused_even_to_the_director(app, client):
    app.add_url_rule("/forgotten", "forgotten", lambda: "open door")
    user = gen_user(app, "director")
    log_in(client, user.username)
    response = client.get("/forgotten")
    assert response.status_code == 403
    assert "open door" not in response.get_data(as_text=True)


# What every role gets from each page with no arguments: the expected matrix, written out.
PAGES = ["/", "/admin/users", "/admin/audit", "/account/password", "/clients", "/clients/new",
         "/clients/access-requests", "/clients/import", "/clients/export.csv", "/clients/settings",
         "/kb", "/kb/browse", "/kb/new", "/kb/report", "/kb/synonyms", "/admin/account-requests",
         "/callbacks", "/callbacks/rules", "/callbacks/campaigns", "/plans", "/plans/new",
         "/cases", "/cases/new", "/cases/setup", "/cases/reports",
         "/reports", "/reports/roster", "/reports/indicators", "/reports/indicators/new",
         "/reports/pareto", "/reports/risk", "/reports/churn", "/reports/satisfaction", "/reports/effort",
         "/activities", "/activities/new", "/activities/trials", "/contracts", "/admin/backups"]
EXPECTED = {
    "director":   [200, 403, 403, 200, 200, 200, 200, 200, 200,
                  200, 200, 200, 200, 200, 200, 200,
                  200, 200, 200, 200, 403,
                  200, 200, 200, 200,
                  200, 200, 200, 403,
                  200, 200,
                  200, 200, 200,
                  200, 200, 200, 200, 403],
    "manager":    [200, 403, 403, 200, 200, 200, 200, 200, 200,
                  200, 200, 200, 200, 200, 200, 403,
                  200, 200, 200, 200, 403,
                  200, 200, 200, 200,
                  200, 200, 200, 403,
                  200, 200,
                  200, 200, 200,
                  200, 200, 200, 200, 403],
    "supervisor": [200, 403, 403, 200, 200, 200, 403, 200, 403,
                  403, 200, 200, 200, 200, 403, 403,
                  200, 403, 200, 200, 200,
                  200, 200, 403, 200,
                  200, 200, 200, 200,
                  403, 200,
                  200, 200, 403,
                  200, 200, 200, 200, 403],
    "specialist": [200, 403, 403, 200, 200, 200, 403, 200, 403,
                  403, 200, 200, 200, 200, 403, 403,
                  200, 403, 403, 200, 403,
                  200, 200, 403, 403,
                  403, 403, 403, 403,
                  403, 403,
                  403, 403, 403,
                  200, 403, 200, 200, 403],
    "sales":      [200, 403, 403, 200, 200, 200, 403, 403, 403,
                  403, 200, 200, 403, 403, 403, 403,
                  200, 403, 403, 403, 403,
                  403, 200, 403, 403,
                  403, 403, 403, 403,
                  403, 403,
                  403, 403, 403,
                  403, 403, 403, 200, 403],
    "service":    [200, 403, 403, 200, 200, 403, 403, 403, 403,
                  403, 200, 200, 200, 200, 403, 403,
                  200, 403, 403, 403, 403,
                  200, 200, 403, 403,
                  403, 403, 403, 403,
                  403, 403,
                  403, 403, 403,
                  403, 403, 403, 403, 403],
    "reception":  [200, 403, 403, 200, 403, 403, 403, 403, 403,
                  403, 200, 200, 403, 403, 403, 403,
                  403, 403, 403, 403, 403,
                  403, 200, 403, 403,
                  403, 403, 403, 403,
                  403, 403,
                  403, 403, 403,
                  403, 403, 403, 403, 403],
    "admin":      [200, 200, 200, 200, 403, 403, 403, 403, 403,
                  403, 200, 200, 403, 403, 403, 403,
                  403, 403, 403, 403, 403,
                  403, 403, 403, 403,
                  403, 403, 403, 403,
                  403, 403,
                  403, 403, 403,
                  403, 403, 403, 403, 200],
}


def test_the_matrix_covers_every_role():
    assert set(EXPECTED) == set(ROLES)


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_role_endpoint_matrix(app, client, role):
    user = gen_user(app, role)
    log_in(client, user.username)
    statuses = [client.get(path).status_code for path in PAGES]
    assert statuses == EXPECTED[role]


@pytest.mark.parametrize("role", sorted(set(ROLES) - {"admin"}))
def test_user_administration_actions_are_refused_to_business_roles(app, client, role):
    target = gen_user(app, "sales")
    user = gen_user(app, role)
    log_in(client, user.username)
    for action in ("disable", "enable", "reset-password"):
        assert client.post(f"/admin/users/{target.id}/{action}").status_code == 403
    assert client.post(f"/admin/users/{target.id}/role", data={"role": "director"}).status_code == 403
    assert client.post("/admin/users", data={"username": "x1", "display_name": "x",
                                             "role": "director", "password": "long-enough-pw"}
                       ).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client):
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 302 and response.location.startswith("/login"), path


def test_anonymous_htmx_request_is_redirected_by_htmx(hx_client):
    response = hx_client.get("/admin/users")
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")


def test_denials_are_audited(app, client):
    from tests.auth.test_login import audit_actions
    user = gen_user(app, "reception")
    log_in(client, user.username)
    client.get("/admin/audit")
    client.post(f"/admin/users/{user.id}/disable")
    assert audit_actions(app, action="permission.denied") == ["permission.denied"] * 2


def test_navigation_shows_only_what_the_role_may_use(app, client):
    user = gen_user(app, "reception")
    log_in(client, user.username)
    page = client.get("/").get_data(as_text=True)
    assert 'id="nav-dashboard-index"' in page
    assert "nav-admin-users" not in page and "nav-admin-audit_log" not in page
    admin_client = app.test_client()
    admin = gen_user(app, "admin")
    log_in(admin_client, admin.username)
    page = admin_client.get("/").get_data(as_text=True)
    assert 'id="nav-admin-users"' in page and 'id="nav-admin-audit_log"' in page


def test_an_unknown_permission_code_is_a_bug_not_a_quiet_no(app):
    from crmweb.auth.permissions import can, require, role_can

    for check in (lambda: role_can("manager", "clients.veiw"), lambda: require("clients.veiw")):
        with pytest.raises(ValueError, match="unknown permission"):
            check()
    with app.test_request_context(), pytest.raises(ValueError):
        can("kb.wrte")
