"""Signing in and out, throttling, and sessions that end when they should."""
from datetime import timedelta

import sqlalchemy as sa

from crmweb.auth.models import AuditEvent, User, UserSession
from crmweb.extensions import db
from tests.conftest import TEST_PASSWORD, gen_user, log_in


def shift_back(app, model, column: str, delta: timedelta):
    """Move recorded times into the past, as if `delta` had gone by."""
    with app.app_context():
        for row in db.session.scalars(sa.select(model)):
            setattr(row, column, getattr(row, column) - delta)
        db.session.commit()


def audit_actions(app, **filters):
    with app.app_context():
        query = sa.select(AuditEvent.action).order_by(AuditEvent.id)
        for name, value in filters.items():
            query = query.where(getattr(AuditEvent, name) == value)
        return db.session.scalars(query).all()


def test_login_page_is_in_simplified_chinese(client):
    page = client.get("/login").get_data(as_text=True)
    assert "登录" in page and "用户名" in page and "密码" in page


def test_successful_login_opens_dashboard_and_is_audited(app, client):
    user = gen_user(app, "specialist")
    response = log_in(client, user.username)
    assert response.status_code == 302 and response.location == "/"
    assert "今日工作台" in client.get("/").get_data(as_text=True)
    assert audit_actions(app, target_id=user.username) == ["user.created", "login"]


def test_wrong_password_is_refused_with_a_clear_message_and_audited(app, client):
    user = gen_user(app, "specialist")
    response = log_in(client, user.username, "wrong-password")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert audit_actions(app, action="login.failed") == ["login.failed"]


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client):
    response = log_in(client, "nobody", "whatever-password")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)


def test_empty_login_form_gets_messages_beside_the_fields(client):
    response = client.post("/login", data={"username": "", "password": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "请输入用户名" in page and "请输入密码" in page


def test_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password(app, client):
    user = gen_user(app, "sales")
    for _ in range(5):
        assert log_in(client, user.username, "wrong-password").status_code == 401
    response = log_in(client, user.username, TEST_PASSWORD)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.get_data(as_text=True)
    assert "login.throttled" in audit_actions(app, target_id=user.username)


def test_throttling_one_address_does_not_lock_the_user_out_elsewhere(app):
    user = gen_user(app, "sales")
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "10.0.0.66"
    for _ in range(6):
        log_in(attacker, user.username, "wrong-password")
    colleague = app.test_client()
    colleague.environ_base["REMOTE_ADDR"] = "10.0.0.7"
    assert log_in(colleague, user.username).status_code == 302


def test_throttling_lifts_once_the_failures_age_out(app, client):
    user = gen_user(app, "sales")
    for _ in range(5):
        log_in(client, user.username, "wrong-password")
    assert log_in(client, user.username).status_code == 429
    shift_back(app, AuditEvent, "at", timedelta(minutes=16))
    assert log_in(client, user.username).status_code == 302


def test_disabled_user_cannot_log_in(app, client):
    user = gen_user(app, "sales", active=False)
    assert log_in(client, user.username).status_code == 401


def test_login_starts_a_new_session_cookie(app, client):
    user = gen_user(app, "sales")
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    log_in(client, user.username)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["sid"]


def test_logout_makes_the_old_session_cookie_worthless(app, client, login_as):
    login_as("manager")
    stolen_cookie = client.get_cookie("session").value
    assert client.post("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", stolen_cookie)
    response = thief.get("/")
    assert response.status_code == 302 and "/login" in response.location
    assert "logout" in audit_actions(app)


def test_disabling_a_user_ends_their_sessions_at_once(app, client, login_as):
    victim = login_as("specialist")
    assert client.get("/").status_code == 200
    admin_client = app.test_client()
    login_as("admin", on=admin_client)
    assert admin_client.post(f"/admin/users/{victim.id}/disable").status_code == 302
    assert client.get("/").status_code == 302
    with app.app_context():
        ended = db.session.scalars(sa.select(UserSession.end_reason)
                                   .where(UserSession.user_id == victim.id)).all()
    assert ended == ["disabled"]


def test_idle_session_expires_after_thirty_minutes(app, client, login_as):
    login_as("service")
    shift_back(app, UserSession, "last_seen_at", timedelta(minutes=31))
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.location
    assert "会话已结束" in client.get(response.location).get_data(as_text=True)


def test_session_ends_after_twelve_hours_even_when_active(app, client, login_as):
    login_as("service")
    shift_back(app, UserSession, "created_at", timedelta(hours=12, minutes=1))
    assert client.get("/").status_code == 302


def test_activity_keeps_an_idle_session_alive(app, client, login_as):
    login_as("service")
    shift_back(app, UserSession, "last_seen_at", timedelta(minutes=20))
    assert client.get("/").status_code == 200
    shift_back(app, UserSession, "created_at", timedelta(minutes=15))
    # 20 idle minutes were reset by the request above, so 15 more are still within 30.
    shift_back(app, UserSession, "last_seen_at", timedelta(minutes=15))
    assert client.get("/").status_code == 200


def test_a_page_polling_for_notices_does_not_keep_an_idle_session_alive(app, client, login_as):
    login_as("service")
    shift_back(app, UserSession, "last_seen_at", timedelta(minutes=20))
    assert client.get("/notices").status_code == 200  # the page asks by itself: not activity
    shift_back(app, UserSession, "last_seen_at", timedelta(minutes=15))
    assert client.get("/").status_code == 302


def test_next_parameter_never_leaves_the_site(app, client):
    user = gen_user(app, "sales")
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = client.post("/login?next=" + target,
                               data={"username": user.username, "password": TEST_PASSWORD})
        assert response.location == "/", target
        client.post("/logout")


def test_next_parameter_returns_to_the_page_asked_for(app, client):
    user = gen_user(app, "admin")
    response = client.get("/admin/audit")
    assert "/login?next=" in response.location
    response = client.post(response.location,
                           data={"username": user.username, "password": TEST_PASSWORD})
    assert response.location.startswith("/admin/audit")


def test_post_without_csrf_token_is_refused_in_chinese(app):
    user = gen_user(app, "sales")
    bare = app.test_client()
    bare.send_csrf = False
    response = log_in(bare, user.username)
    assert response.status_code == 400
    assert "页面已过期" in response.get_data(as_text=True)


def test_reset_password_must_be_changed_before_anything_else(app, client):
    user = gen_user(app, "sales", must_change_password=True)
    log_in(client, user.username)
    response = client.get("/")
    assert response.status_code == 302 and response.location == "/account/password"
    response = client.post("/account/password", data={
        "current_password": TEST_PASSWORD, "new_password": "short", "confirm_password": "short"})
    assert response.status_code == 422 and "至少需要 12 个字符" in response.get_data(as_text=True)
    response = client.post("/account/password", data={
        "current_password": TEST_PASSWORD, "new_password": TEST_PASSWORD, "confirm_password": TEST_PASSWORD})
    assert response.status_code == 422 and "不能与当前密码相同" in response.get_data(as_text=True)
    response = client.post("/account/password", data={
        "current_password": TEST_PASSWORD, "new_password": "password123456",
        "confirm_password": "password123456"})
    assert response.status_code == 422 and "太常见或太容易猜到" in response.get_data(as_text=True)
    response = client.post("/account/password", data={
        "current_password": TEST_PASSWORD, "new_password": "a-new-long-secret",
        "confirm_password": "a-new-long-secret"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    with app.app_context():
        assert not db.session.get(User, user.id).must_change_password


def test_changing_password_ends_the_other_sessions(app, client, login_as):
    user = login_as("sales")
    other_device = app.test_client()
    log_in(other_device, user.username)
    client.post("/account/password", data={
        "current_password": TEST_PASSWORD, "new_password": "a-new-long-secret",
        "confirm_password": "a-new-long-secret"})
    assert client.get("/").status_code == 200
    assert other_device.get("/").status_code == 302


def test_language_switch_to_english(client):
    client.post("/language", data={"lang": "en", "next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert "Sign in" in page and 'lang="en"' in page


def test_people_give_their_own_mobile_and_email(app, client):
    user = gen_user(app, "supervisor")
    log_in(client, user.username)
    assert client.get("/account/contact").status_code == 200
    wrong = client.post("/account/contact", data={"mobile": "12", "email": ""})
    assert wrong.status_code == 422 and "手机号格式不对" in wrong.get_data(as_text=True)
    assert client.post("/account/contact", data={"mobile": "", "email": "not-an-email"}).status_code == 422
    saved = client.post("/account/contact", data={"mobile": "139 1234 5678", "email": "Sun@Example.CN"})
    assert saved.status_code == 303
    with app.app_context():
        person = db.session.get(User, user.id)
        assert (person.mobile, person.email) == ("+8613912345678", "sun@example.cn")
