"""The administrator runs the system, not the business: alone, an administrator can never come to
hold a director's or manager's rights (DESIGN §2), nor learn anyone's password."""
import pytest
import sqlalchemy as sa

from crmweb.auth.models import AccountRequest, User
from crmweb.extensions import db
from tests.admin.test_users import NEW_PASSWORD, get_user, link_in, set_password
from tests.conftest import gen_user, log_in


def _pending(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        return db.session.execute(sa.select(User.username, AccountRequest.kind, AccountRequest.role)
                                  .join(User, User.id == AccountRequest.user_id)
                                  .where(AccountRequest.status == "pending")).all()


def _request_id(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(AccountRequest.id).where(AccountRequest.status == "pending"))


@pytest.fixture
def director(app):
    person = app.test_client()
    log_in(person, gen_user(app, "director").username)
    return person


@pytest.mark.parametrize("role", ["director", "manager"])
def test_an_account_with_every_archive_waits_for_a_director(app, client, login_as, director, role):
    login_as("admin")
    response = client.post("/admin/users", data={"username": "new.boss", "display_name": "新经理",
                                                 "role": role, "password": "admin-knows-this-1"})
    assert response.status_code == 302 and "<code>" not in response.get_data(as_text=True)
    assert not get_user(app, "new.boss").active
    assert _pending(app) == [("new.boss", "create", role)]
    # Enabling it by hand is not a way round the confirmation.
    assert client.post(f"/admin/users/{get_user(app, 'new.boss').id}/enable").status_code == 403
    assert "新经理" in director.get("/admin/account-requests").get_data(as_text=True)
    page = director.post(f"/admin/account-requests/{_request_id(app)}/confirm").get_data(as_text=True)
    assert get_user(app, "new.boss").active
    assert set_password(app, link_in(page)).status_code == 302  # the link went to the director
    assert log_in(app.test_client(), "new.boss", NEW_PASSWORD).status_code == 302


def test_raising_a_role_to_manager_waits_and_then_the_old_password_stops(app, client, login_as, director):
    login_as("admin")
    target_client = app.test_client()
    target = login_as("specialist", on=target_client)
    response = client.post(f"/admin/users/{target.id}/role", data={"role": "manager"})
    assert response.status_code == 302
    assert get_user(app, target.username).role == "specialist"
    assert _pending(app) == [(target.username, "promote", "manager")]
    assert "待总经理确认" in client.get("/admin/users").get_data(as_text=True)
    page = director.post(f"/admin/account-requests/{_request_id(app)}/confirm").get_data(as_text=True)
    assert get_user(app, target.username).role == "manager"
    # Whoever knew the specialist's password (its administrator, say) is locked out of the manager.
    assert target_client.get("/").status_code == 302
    assert log_in(app.test_client(), target.username).status_code == 401
    assert set_password(app, link_in(page)).status_code == 302


def test_resetting_a_managers_password_gives_the_administrator_nothing_to_use(app, hx_client, login_as,
                                                                             director):
    login_as("admin", on=hx_client)
    manager_client = app.test_client()
    manager = login_as("manager", on=manager_client)
    page = hx_client.post(f"/admin/users/{manager.id}/reset-password").get_data(as_text=True)
    assert "<code>" not in page and "须经总经理确认" in page
    assert manager_client.get("/").status_code == 200  # nothing changed yet
    director.post(f"/admin/account-requests/{_request_id(app)}/refuse")
    assert _pending(app) == [] and manager_client.get("/").status_code == 200


def test_a_director_cannot_confirm_a_change_to_their_own_account(app, client, login_as):
    login_as("admin")
    boss_client = app.test_client()
    boss = login_as("director", on=boss_client)
    client.post(f"/admin/users/{boss.id}/reset-password")
    response = boss_client.post(f"/admin/account-requests/{_request_id(app)}/confirm")
    assert response.status_code == 403 and len(_pending(app)) == 1


def test_only_a_director_confirms(app, client, login_as):
    login_as("admin")
    target = gen_user(app, "sales")
    client.post(f"/admin/users/{target.id}/role", data={"role": "director"})
    for role in ("admin", "manager"):
        other = app.test_client()
        log_in(other, gen_user(app, role).username)
        assert other.post(f"/admin/account-requests/{_request_id(app)}/confirm").status_code == 403
    assert get_user(app, target.username).role == "sales"


def test_a_guessed_used_or_expired_link_does_nothing(app, client, login_as):
    from datetime import timedelta

    from crmweb.auth.models import PasswordLink

    login_as("admin")
    target = gen_user(app, "service")
    page = client.post(f"/admin/users/{target.id}/reset-password").get_data(as_text=True)
    link = link_in(page)
    assert app.test_client().get(link[:-3] + "abc").status_code == 404
    with app.app_context():
        row = db.session.scalar(sa.select(PasswordLink))
        row.expires_at = row.created_at - timedelta(seconds=1)
        db.session.commit()
    response = app.test_client().get(link)
    assert response.status_code == 404 and "链接无效或已过期" in response.get_data(as_text=True)


def test_demoting_a_manager_needs_no_confirmation(app, client, login_as):
    login_as("admin")
    target = gen_user(app, "manager")
    assert client.post(f"/admin/users/{target.id}/role", data={"role": "specialist"}).status_code == 302
    assert get_user(app, target.username).role == "specialist" and _pending(app) == []
