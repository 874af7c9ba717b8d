"""Recording and editing an archive: in-place sections, contacts, timeline, tiers, VIP, owner,
access requests and their expiry."""
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from crmweb.auth.models import AuditEvent
from crmweb.clients.models import ArchiveAccessRequest, Client, ClientConfidential, Contact, Interaction
from crmweb.extensions import db
from tests.clients.helpers import DEFAULT_RHYTHMS, SECRET, make_client
from tests.conftest import gen_user, log_in


def load(app, model, pk):
    with app.app_context():
        row = db.session.get(model, pk)
        db.session.expunge(row)
        return row


def audit_actions(app, action_prefix):
    with app.app_context():
        return db.session.scalars(sa.select(AuditEvent.action).where(
            AuditEvent.action.startswith(action_prefix)).order_by(AuditEvent.id)).all()


def owned_client(app, client, role="specialist", **fields):
    owner = gen_user(app, role)
    log_in(client, owner.username)
    return owner, make_client(app, owner, **fields)


def test_edit_a_section_in_place(app, hx_client):
    _, client_id = owned_client(app, hx_client)
    form = hx_client.get(f"/clients/{client_id}/sections/basics/edit").get_data(as_text=True)
    assert form.lstrip().startswith('<section class="card section" id="section-basics">')
    assert 'name="address"' in form
    response = hx_client.post(f"/clients/{client_id}/sections/basics", data={
        "name": "徐州华通机械有限公司", "kind": "company", "stage": "customer",
        "address": "徐州市铜山区银山路 1 号", "staff_count": "320"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "徐州市铜山区银山路 1 号" in page and "<form" not in page
    assert load(app, Client, client_id).staff_count == 320
    assert audit_actions(app, "client.changed") == ["client.changed"]


def test_invalid_section_input_comes_back_with_messages_and_changes_nothing(app, hx_client):
    _, client_id = owned_client(app, hx_client)
    response = hx_client.post(f"/clients/{client_id}/sections/basics", data={
        "name": "", "kind": "alien", "stage": "customer", "staff_count": "很多"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请输入客户名称" in page and "不是有效的选择" in page and "<form" in page
    assert load(app, Client, client_id).name == "徐州华通机械有限公司"


def test_renaming_a_client_updates_search(app, client):
    _, client_id = owned_client(app, client)
    client.post(f"/clients/{client_id}/sections/basics", data={
        "name": "徐州恒通重工有限公司", "kind": "company", "stage": "customer"})
    assert f'id="client-{client_id}"' in client.get("/clients?q=htzg").get_data(as_text=True)
    assert f'id="client-{client_id}"' not in client.get("/clients?q=huatong").get_data(as_text=True)


def test_a_colleague_cannot_edit_someone_elses_archive(app, client):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner)
    colleague = gen_user(app, "specialist")
    log_in(client, colleague.username)
    assert client.get(f"/clients/{client_id}/sections/basics/edit").status_code == 403
    response = client.post(f"/clients/{client_id}/sections/basics", data={
        "name": "改名", "kind": "company", "stage": "customer"})
    assert response.status_code == 403
    assert load(app, Client, client_id).name == "徐州华通机械有限公司"
    assert audit_actions(app, "permission.denied") == ["permission.denied"] * 2


def test_a_supervisor_edits_any_archive_but_not_its_confidential_part(app, client):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner, secret=True)
    supervisor = gen_user(app, "supervisor")
    log_in(client, supervisor.username)
    assert client.get(f"/clients/{client_id}/sections/basics/edit").status_code == 200
    response = client.post(f"/clients/{client_id}/sections/financial", data={"banks": "改掉"})
    assert response.status_code == 403
    assert load(app, ClientConfidential, client_id).banks == SECRET
    assert audit_actions(app, "archive.denied") == ["archive.denied"]


def test_the_owner_changes_the_confidential_part_and_it_is_audited(app, hx_client):
    _, client_id = owned_client(app, hx_client)
    response = hx_client.post(f"/clients/{client_id}/sections/financial", data={
        "banks": "中国银行徐州分行", "loan_status": "无贷款", "cash_flow": "良好"})
    assert response.status_code == 200 and "中国银行徐州分行" in response.get_data(as_text=True)
    assert load(app, ClientConfidential, client_id).banks == "中国银行徐州分行"
    with app.app_context():
        detail = db.session.scalar(sa.select(AuditEvent.detail).where(AuditEvent.action == "archive.changed"))
    assert detail == "banks,loan_status,cash_flow"


def test_add_a_contact_with_a_phone_number_as_people_write_it(app, client):
    _, client_id = owned_client(app, client)
    response = client.post(f"/clients/{client_id}/contacts", data={
        "name": "仇建平", "position": "采购部经理", "mobile": "+86 139 0000 2222",
        "email": "Qiu@Example.CN", "birthday_calendar": "lunar", "birth_month": "8",
        "birth_day": "15", "is_key_person": "y"})
    assert response.status_code == 302
    with app.app_context():
        contact = db.session.scalar(sa.select(Contact).where(Contact.client_id == client_id))
        assert (contact.mobile, contact.email, contact.birthday_calendar) == (
            "+8613900002222", "qiu@example.cn", "lunar")
    page = client.get(f"/clients/{client_id}").get_data(as_text=True)
    assert "139 0000 2222" in page and "农历8月15日" in page
    assert f'id="client-{client_id}"' in client.get("/clients?q=qjp").get_data(as_text=True)


def test_a_bad_contact_is_refused_beside_the_fields(app, client):
    _, client_id = owned_client(app, client)
    response = client.post(f"/clients/{client_id}/contacts", data={
        "name": "张三", "mobile": "12345", "email": "not-an-email", "birthday_calendar": "solar",
        "birth_month": "2", "birth_day": "30"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "电话号码无效" in page and "邮箱格式不正确" in page and "公历没有这一天" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Contact.id))) == 0


def test_record_an_interaction_on_the_timeline(app, client):
    _, client_id = owned_client(app, client)
    response = client.post(f"/clients/{client_id}/interactions", data={
        "kind": "callback", "channel": "phone", "occurred_at": "2026-11-20T10:30",
        "content": "回访新设备运行情况，客户满意。", "satisfaction": "5"})
    assert response.status_code == 302
    page = client.get(f"/clients/{client_id}").get_data(as_text=True)
    assert "回访新设备运行情况" in page and "2026-11-20 10:30" in page
    with app.app_context():
        interaction = db.session.scalar(sa.select(Interaction))
        assert interaction.occurred_at.hour == 2  # 10:30 in Shanghai is 02:30 UTC
        assert db.session.get(Client, client_id).last_contact_at == interaction.occurred_at


def test_an_empty_interaction_is_refused(app, client):
    _, client_id = owned_client(app, client)
    response = client.post(f"/clients/{client_id}/interactions", data={"kind": "callback"})
    assert response.status_code == 422
    assert "请填写交流内容" in response.get_data(as_text=True)


def test_a_big_high_end_sale_makes_the_client_vip_eligible_and_a_manager_approves(app, client):
    owner, client_id = owned_client(app, client)
    client.post(f"/clients/{client_id}/events", data={
        "kind": "sale", "occurred_at": "2026-11-01T09:00", "product": "高端数控机床",
        "high_end": "y", "amount": "15000"})
    assert load(app, Client, client_id).vip_status == "eligible"
    assert load(app, Client, client_id).stage == "customer"
    assert load(app, ClientConfidential, client_id).total_purchases == Decimal("15000.00")
    assert client.post(f"/clients/{client_id}/vip/approve").status_code == 403
    manager_client = app.test_client()
    log_in(manager_client, gen_user(app, "manager").username)
    assert manager_client.post(f"/clients/{client_id}/vip/approve").status_code == 302
    client_row = load(app, Client, client_id)
    assert client_row.vip_status == "vip" and client_row.vip_since is not None


def test_a_vip_application_can_be_entered_directly(app, client):
    _, client_id = owned_client(app, client)
    assert client.post(f"/clients/{client_id}/vip/apply", data={"reason": "战略合作伙伴"}).status_code == 302
    assert load(app, Client, client_id).vip_status == "applied"
    assert client.post(f"/clients/{client_id}/vip/apply", data={"reason": ""}).status_code == 422


def test_only_a_supervisor_or_above_sets_the_tier(app, client):
    _, client_id = owned_client(app, client)
    assert client.post(f"/clients/{client_id}/tier", data={"tier": "key"}).status_code == 403
    supervisor = app.test_client()
    log_in(supervisor, gen_user(app, "supervisor").username)
    assert supervisor.post(f"/clients/{client_id}/tier", data={"tier": "key"}).status_code == 302
    assert supervisor.post(f"/clients/{client_id}/tier", data={"tier": "emperor"}).status_code == 422
    assert load(app, Client, client_id).tier == "key"


def test_reassigning_an_owner_is_a_managers_audited_act(app, client):
    _, client_id = owned_client(app, client)
    other = gen_user(app, "sales")
    assert client.post(f"/clients/{client_id}/owner", data={"owner_id": other.id}).status_code == 403
    manager = app.test_client()
    log_in(manager, gen_user(app, "manager").username)
    assert manager.post(f"/clients/{client_id}/owner", data={"owner_id": other.id}).status_code == 302
    assert load(app, Client, client_id).owner_id == other.id
    assert audit_actions(app, "client.owner_changed") == ["client.owner_changed"]
    admin = gen_user(app, "admin")
    refused = manager.post(f"/clients/{client_id}/owner", data={"owner_id": admin.id})
    assert refused.status_code == 422
    assert 'id="manage-owner_id-error"' in refused.get_data(as_text=True)  # beside the select


def test_groups_and_tags(app, client):
    _, client_id = owned_client(app, client)
    client.post(f"/clients/{client_id}/labels", data={"groups": "华东区，重点维护", "tags": "年会嘉宾"})
    page = client.get(f"/clients/{client_id}").get_data(as_text=True)
    assert "华东区" in page and "重点维护" in page and "年会嘉宾" in page


def test_access_request_approved_for_a_week_then_expires(app, client):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner, secret=True)
    requester = gen_user(app, "specialist")
    log_in(client, requester.username)
    assert SECRET not in client.get(f"/clients/{client_id}").get_data(as_text=True)
    response = client.post(f"/clients/{client_id}/access-requests", data={"reason": "协助跟进回款"})
    assert response.status_code == 302
    assert "正在等待经理审批" in client.get(f"/clients/{client_id}").get_data(as_text=True)
    assert client.post(f"/clients/{client_id}/access-requests", data={"reason": "再次"}).status_code == 409

    manager = app.test_client()
    log_in(manager, gen_user(app, "manager").username)
    queue = manager.get("/clients/access-requests").get_data(as_text=True)
    assert "协助跟进回款" in queue
    with app.app_context():
        request_id = db.session.scalar(sa.select(ArchiveAccessRequest.id))
    response = manager.post(f"/clients/access-requests/{request_id}/approve", data={"days": "7"})
    assert response.status_code == 302
    page = client.get(f"/clients/{client_id}").get_data(as_text=True)
    assert SECRET in page and 'id="grant-until"' in page
    today = client.get("/").get_data(as_text=True)  # the requester hears of the decision
    assert f'id="my-request-{request_id}"' in today and "已批准，至" in today

    with app.app_context():
        grant = db.session.get(ArchiveAccessRequest, request_id)
        grant.expires_at = grant.expires_at - timedelta(days=7, seconds=1)
        db.session.commit()
    assert SECRET not in client.get(f"/clients/{client_id}").get_data(as_text=True)
    assert audit_actions(app, "archive.access") == ["archive.access_requested", "archive.access_granted"]


def test_a_grant_can_be_revoked_at_once(app, client):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner, secret=True)
    requester = gen_user(app, "sales")
    log_in(client, requester.username)
    client.post(f"/clients/{client_id}/access-requests", data={"reason": "跟进"})
    manager = app.test_client()
    log_in(manager, gen_user(app, "manager").username)
    with app.app_context():
        request_id = db.session.scalar(sa.select(ArchiveAccessRequest.id))
    manager.post(f"/clients/access-requests/{request_id}/approve", data={"days": "3"})
    assert SECRET in client.get(f"/clients/{client_id}").get_data(as_text=True)
    manager.post(f"/clients/access-requests/{request_id}/revoke")
    assert SECRET not in client.get(f"/clients/{client_id}").get_data(as_text=True)


def test_only_managers_decide_access_requests(app, client):
    owner = gen_user(app, "specialist")
    client_id = make_client(app, owner, secret=True)
    requester = gen_user(app, "sales")
    log_in(client, requester.username)
    client.post(f"/clients/{client_id}/access-requests", data={"reason": "跟进"})
    with app.app_context():
        request_id = db.session.scalar(sa.select(ArchiveAccessRequest.id))
    approve = f"/clients/access-requests/{request_id}/approve"
    assert client.post(approve, data={"days": "90"}).status_code == 403
    assert client.get("/clients/access-requests").status_code == 403
    manager = app.test_client()
    log_in(manager, gen_user(app, "manager").username)
    assert manager.post(approve, data={"days": "365"}).status_code == 422


def test_missing_client_or_section_is_a_404(app, client):
    _, client_id = owned_client(app, client)
    assert client.get("/clients/999999").status_code == 404
    assert client.get(f"/clients/{client_id}/sections/nonsense").status_code == 404


def test_new_client_form(app, client):
    owner = gen_user(app, "sales")
    log_in(client, owner.username)
    response = client.post("/clients/new", data={"name": "", "kind": "company", "stage": "prospect",
                                                  "tier": "general"})
    assert response.status_code == 422 and "请输入客户名称" in response.get_data(as_text=True)
    response = client.post("/clients/new", data={"name": "扬州瘦西湖旅游有限公司", "kind": "company",
                                                  "stage": "prospect", "tier": "key"})
    assert response.status_code == 302
    with app.app_context():
        created = db.session.scalar(sa.select(Client))
        # A salesperson cannot grade a client: it starts as general, owned by them.
        assert (created.tier, created.owner_id) == ("general", owner.id)


def test_bulk_actions_stay_within_the_actors_permissions(app, client):
    owner = gen_user(app, "specialist")
    mine = make_client(app, owner, "甲公司")
    theirs = make_client(app, gen_user(app, "sales"), "乙公司")
    log_in(client, owner.username)
    response = client.post("/clients/bulk", data={"client_id": [mine, theirs], "action": "add_group",
                                                  "add_group": "华东区"})
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "已处理 1 个客户，1 个客户您无权修改" in page
    assert "华东区" in client.get(f"/clients/{mine}").get_data(as_text=True)
    assert "华东区" not in client.get(f"/clients/{theirs}").get_data(as_text=True)
    assert client.post("/clients/bulk", data={"client_id": [mine], "action": "set_tier",
                                               "set_tier": "key"}).status_code == 403
    manager = app.test_client()
    log_in(manager, gen_user(app, "manager").username)
    manager.post("/clients/bulk", data={"client_id": [mine, theirs], "action": "set_owner",
                                        "set_owner": str(owner.id)})
    assert load(app, Client, theirs).owner_id == owner.id
    nothing_ticked = manager.post("/clients/bulk", data={"action": "set_tier", "set_tier": "key",
                                                         "back": "/clients?tier=general"})
    assert nothing_ticked.status_code == 422
    # The list it came from again, the reason beside the bulk bar.
    assert 'id="bulk-error" role="alert">请先勾选客户。' in nothing_ticked.get_data(as_text=True)
    assert 'id="bulk-form"' in nothing_ticked.get_data(as_text=True)
    response = manager.post("/clients/bulk", data={"client_id": [mine], "action": "drop_table"})
    assert response.status_code == 422


def test_a_manager_changes_the_vip_threshold_and_it_applies_to_the_next_sale(app, client):
    manager = gen_user(app, "manager")
    log_in(client, manager.username)
    response = client.post("/clients/settings", data={"single_purchase_min": "abc",
                                                      "monthly_purchase_min": "20000", "grant_days": "7"})
    assert response.status_code == 422
    response = client.post("/clients/settings", data={
        "single_purchase_min": "5000", "monthly_purchase_min": "9000", "grant_days": "3", **DEFAULT_RHYTHMS})
    assert response.status_code == 302
    client_id = make_client(app, manager)
    client.post(f"/clients/{client_id}/events", data={
        "kind": "sale", "occurred_at": "2026-11-01T09:00", "high_end": "y", "amount": "6000"})
    assert load(app, Client, client_id).vip_status == "eligible"
    specialist = app.test_client()
    log_in(specialist, gen_user(app, "specialist").username)
    assert specialist.get("/clients/settings").status_code == 403


def test_small_forms_of_the_client_page_answer_422_with_the_message_beside_the_field(app, client):
    owner, client_id = owned_client(app, client)
    response = client.post(f"/clients/{client_id}/vip/apply", data={"reason": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="vip-reason-error"' in page and "请填写理由" in page
    response = client.post(f"/clients/{client_id}/labels", data={"groups": "长" * 600})
    assert response.status_code == 422 and 'id="manage-groups-error"' in response.get_data(as_text=True)
    sales = app.test_client()
    log_in(sales, gen_user(app, "sales").username)
    response = sales.post(f"/clients/{client_id}/access-requests", data={"reason": ""})
    assert response.status_code == 422 and 'id="access-reason-error"' in response.get_data(as_text=True)


def test_a_grant_of_too_many_days_answers_422_beside_the_field(app, client):
    owner, client_id = owned_client(app, client)
    requester = app.test_client()
    log_in(requester, gen_user(app, "sales").username)
    requester.post(f"/clients/{client_id}/access-requests", data={"reason": "跟进"})
    manager = app.test_client()
    log_in(manager, gen_user(app, "manager").username)
    with app.app_context():
        request_id = db.session.scalar(sa.select(ArchiveAccessRequest.id))
    response = manager.post(f"/clients/access-requests/{request_id}/approve", data={"days": "999"})
    assert response.status_code == 422
    assert f'id="request-{request_id}-days-error"' in response.get_data(as_text=True)
