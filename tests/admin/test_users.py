"""The administrator creates, disables, re-enables and resets users; every act is audited."""
from datetime import UTC, datetime

import sqlalchemy as sa

from crmweb.auth.models import AuditEvent, User
from crmweb.extensions import db
from tests.auth.test_login import audit_actions
from tests.conftest import log_in

NEW_USER = {"username": "Chen.Zhuanyuan", "display_name": "陈专员", "role": "specialist"}
NEW_PASSWORD = "tea-cup-train-sky-2026"


def get_user(app, username):
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        db.session.expunge(user)
        return user


def link_in(page: str) -> str:
    return page.split("<code>")[1].split("</code>")[0].split("localhost", 1)[1]


def set_password(app, link: str, password: str = NEW_PASSWORD):
    person = app.test_client()
    assert person.get(link).status_code == 200
    return person.post(link, data={"new_password": password, "confirm_password": password})


def test_admin_creates_a_user_who_sets_their_own_password_by_a_one_time_link(app, client, login_as):
    login_as("admin")
    response = client.post("/admin/users", data={**NEW_USER, "password": "admin-knows-this-1"})
    assert response.status_code == 200
    user = get_user(app, "chen.zhuanyuan")
    assert user.role == "specialist" and user.active
    assert "user.created" in audit_actions(app, target_id="chen.zhuanyuan")
    link = link_in(response.get_data(as_text=True))
    assert log_in(app.test_client(), "chen.zhuanyuan", "admin-knows-this-1").status_code == 401
    assert set_password(app, link).status_code == 302
    assert log_in(app.test_client(), "chen.zhuanyuan", NEW_PASSWORD).status_code == 302
    assert app.test_client().get(link).status_code == 404  # used up


def test_invalid_new_user_gets_422_with_messages_and_nothing_written(app, client, login_as):
    login_as("admin")
    response = client.post("/admin/users", data={"username": "有 空格", "display_name": "",
                                                 "role": "overlord"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "用户名只能包含" in page and "请输入姓名" in page
    assert "不是有效的选择" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_duplicate_username_is_a_clear_conflict(app, client, login_as):
    login_as("admin")
    client.post("/admin/users", data=NEW_USER)
    response = client.post("/admin/users", data=NEW_USER)
    assert response.status_code == 409
    assert "已存在" in response.get_data(as_text=True)


def test_disable_with_htmx_returns_the_row_and_a_message(app, hx_client, login_as):
    login_as("admin", on=hx_client)
    target = login_as("sales", on=app.test_client())
    response = hx_client.post(f"/admin/users/{target.id}/disable")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.lstrip().startswith(f'<tr id="user-{target.id}"')
    assert "已停用" in page and 'hx-swap-oob="innerHTML"' in page
    assert "HX-Request" in response.headers["Vary"]
    assert not get_user(app, target.username).active


def test_admin_cannot_disable_themselves(app, client, login_as):
    admin = login_as("admin")
    response = client.post(f"/admin/users/{admin.id}/disable")
    assert response.status_code == 409
    assert get_user(app, admin.username).active


def test_reset_password_gives_a_one_time_link_and_the_old_password_stops(app, hx_client, login_as):
    login_as("admin", on=hx_client)
    target_client = app.test_client()
    target = login_as("service", on=target_client)
    page = hx_client.post(f"/admin/users/{target.id}/reset-password").get_data(as_text=True)
    assert target_client.get("/").status_code == 302  # signed out everywhere
    assert log_in(app.test_client(), target.username).status_code == 401
    assert set_password(app, link_in(page)).status_code == 302
    assert log_in(app.test_client(), target.username, NEW_PASSWORD).status_code == 302


def test_change_role_ends_the_users_sessions(app, client, login_as):
    login_as("admin")
    target_client = app.test_client()
    target = login_as("sales", on=target_client)
    assert client.post(f"/admin/users/{target.id}/role", data={"role": "specialist"}).status_code == 302
    assert get_user(app, target.username).role == "specialist"
    assert target_client.get("/").status_code == 302


def test_unknown_role_is_refused(app, client, login_as):
    login_as("admin")
    target = login_as("sales", on=app.test_client())
    assert client.post(f"/admin/users/{target.id}/role", data={"role": "emperor"}).status_code == 422
    assert get_user(app, target.username).role == "sales"
    # From the row (htmx): the row again, the reason beside its select.
    row = client.post(f"/admin/users/{target.id}/role", data={"role": "emperor"},
                      headers={"HX-Request": "true"})
    assert row.status_code == 422
    assert row.get_data(as_text=True).startswith(f'<tr id="user-{target.id}"')
    assert 'class="error" role="alert">请选择有效的角色。' in row.get_data(as_text=True)


def test_missing_user_is_a_404_not_a_500(client, login_as):
    login_as("admin")
    response = client.post("/admin/users/999999/disable")
    assert response.status_code == 404
    assert "找不到" in response.get_data(as_text=True)


def test_audit_log_filters_and_shows_shanghai_time(app, client, login_as):
    login_as("admin")
    with app.app_context():
        db.session.add(AuditEvent(at=datetime(2026, 3, 1, 0, 30, tzinfo=UTC), action="probe.event",
                                  actor_name="someone", target_type="user", target_id="x",
                                  ip="10.1.2.3"))
        db.session.commit()
    page = client.get("/admin/audit?action=probe").get_data(as_text=True)
    assert "2026-03-01 08:30:00" in page and "probe.event" in page
    assert "login" not in page.split("<tbody>")[1]
    page = client.get("/admin/audit?date_from=2026-03-02").get_data(as_text=True)
    assert "probe.event" not in page


def test_audit_log_bad_filter_is_a_422_not_a_500(client, login_as):
    login_as("admin")
    response = client.get("/admin/audit?date_from=not-a-date&page=abc")
    assert response.status_code == 422
    response = client.get("/admin/audit?page=99999999999999999999")
    assert response.status_code == 200


def test_audit_log_fragment_for_htmx(hx_client, login_as):
    login_as("admin", on=hx_client)
    page = hx_client.get("/admin/audit").get_data(as_text=True)
    assert page.lstrip().startswith('<section class="card" id="audit-table">')
    assert "<html" not in page


def test_the_audit_log_speaks_chinese_and_links_the_client(app, client, login_as):
    from tests.clients.helpers import make_client

    client_id = make_client(app, login_as("manager", on=app.test_client()), name="徐州华通机械有限公司")
    with app.app_context():
        db.session.add(AuditEvent(at=datetime(2026, 3, 1, tzinfo=UTC), action="archive.changed",
                                  actor_name="someone", target_type="client", target_id=str(client_id),
                                  detail="import:banks,total_purchases"))
        db.session.add(AuditEvent(at=datetime(2026, 3, 1, tzinfo=UTC), action="user.role_changed",
                                  target_type="user", target_id="nobody", detail="sales->supervisor"))
        db.session.commit()
    login_as("admin")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "修改保密档案" in page and f'<a href="/clients/{client_id}">徐州华通机械有限公司</a>' in page
    assert "导入：往来银行、累计购买额（元）" in page and "销售 → 客户关系主管" in page
    assert "archive.changed</td>" not in page and "dry_run" not in page
    assert '<option value="archive.changed">修改保密档案</option>' in page
    filtered = client.get("/admin/audit?action=user.role_changed").get_data(as_text=True)
    assert "修改角色" in filtered.split("<tbody>")[1] and "修改保密档案" not in filtered.split("<tbody>")[1]


def test_a_role_changes_only_after_a_confirm_step(app, client, login_as):
    login_as("admin")
    target = login_as("sales", on=app.test_client())
    page = client.get("/admin/users").get_data(as_text=True)
    row = page.split(f'id="user-{target.id}"')[1].split("</tr>")[0]
    assert 'hx-trigger="change"' not in row and "hx-confirm" in row and "改角色" in row
    response = client.post(f"/admin/users/{target.id}/role", data={"role": "specialist"},
                           follow_redirects=True)
    assert "的角色改为 客户关系专员" in response.get_data(as_text=True)
