"""查重: the same client or contact is found before it is entered twice; a manager merges two."""
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from crmweb.auth.models import AuditEvent
from crmweb.clients import duplicates, rules, timeline
from crmweb.clients.models import Client, ClientConfidential, Contact, Interaction
from crmweb.extensions import db
from crmweb.timeutil import utcnow
from tests.clients.helpers import make_client
from tests.conftest import gen_user, log_in


def test_company_names_are_compared_as_people_mean_them():
    same = ["徐州华通机械有限公司", "徐州华通机械有限责任公司", " 徐州华通 机械（有限公司）",
            "徐州华通机械有限公司\u3000"]
    assert len({rules.company_key(name) for name in same}) == 1
    assert rules.company_key("ＡＢＣ贸易有限公司") == rules.company_key("abc 贸易有限责任公司")
    assert rules.company_key("徐州华通机械有限公司") != rules.company_key("徐州华通电子有限公司")


def test_duplicates_show_as_you_type_with_name_tier_and_owner_only(app, client):
    owner = gen_user(app, "sales", display_name="周销售")
    make_client(app, owner, "徐州华通机械有限公司", tier="key",
                contacts=[{"name": "曾小明", "mobile": "+8613812345678", "email": "zeng@huatong.cn"}])
    log_in(client, gen_user(app, "specialist").username)
    page = client.get("/clients/duplicates?name=徐州华通机械有限责任公司",
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert page.lstrip().startswith('<div id="duplicates"')
    assert "徐州华通机械有限公司" in page and "大客户" in page and "周销售" in page
    assert "曾小明" not in page and "138" not in page
    by_mobile = client.get("/clients/duplicates?mobile=138 1234 5678").get_data(as_text=True)
    assert "联系人手机相同" in by_mobile and "曾小明" not in by_mobile
    assert "徐州华通" in client.get("/clients/duplicates?email=ZENG@huatong.cn").get_data(as_text=True)


def test_creating_a_duplicate_needs_a_reason(app, client):
    make_client(app, gen_user(app, "sales"), "徐州华通机械有限公司")
    user = gen_user(app, "specialist")
    log_in(client, user.username)
    values = {"name": "徐州华通机械有限责任公司", "kind": "company", "stage": "prospect"}
    response = client.post("/clients/new", data=values)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'name="duplicate_reason"' in page and "可能重复" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Client.id))) == 1
    response = client.post("/clients/new", data={**values, "duplicate_reason": "同名的另一家分公司"})
    assert response.status_code == 302
    with app.app_context():
        detail = db.session.scalar(sa.select(AuditEvent.detail).where(AuditEvent.action == "client.created",
                                                                      AuditEvent.actor_id == user.id))
        assert "duplicate_of=" in detail and "同名的另一家分公司" in detail


def test_a_contact_whose_mobile_another_client_has_needs_a_reason(app, client):
    other = make_client(app, gen_user(app, "sales"), "甲公司",
                        contacts=[{"name": "曾小明", "mobile": "+8613812345678"}])
    owner = gen_user(app, "specialist")
    mine = make_client(app, owner, "乙公司")
    log_in(client, owner.username)
    response = client.post(f"/clients/{mine}/contacts", data={"name": "曾小明", "mobile": "13812345678"})
    assert response.status_code == 422 and f'id="duplicate-{other}"' in response.get_data(as_text=True)
    response = client.post(f"/clients/{mine}/contacts", data={"name": "曾小明", "mobile": "13812345678",
                                                              "duplicate_reason": "兼任两家公司"})
    assert response.status_code == 302


def test_a_manager_merges_two_archives_of_one_client(app, client):
    sales = gen_user(app, "sales")
    keep = make_client(app, sales, "徐州华通机械有限公司", contacts=[{"name": "曾小明"}])
    gone = make_client(app, sales, "徐州华通机械有限责任公司", address="徐州市铜山区",
                       contacts=[{"name": "钱芳"}], duplicate=True)
    with app.app_context():
        actor = db.session.get(type(sales), sales.id)
        for client_id, amount in ((keep, "1000"), (gone, "2500")):
            timeline.record_event(actor, db.session.get(Client, client_id), {
                "kind": "sale", "occurred_at": utcnow() - timedelta(days=3), "amount": Decimal(amount)},
                utcnow())
        timeline.record_interaction(actor, db.session.get(Client, gone), {
            "kind": "visit", "occurred_at": utcnow() - timedelta(days=1), "content": "拜访"}, utcnow())
    assert app.test_client().post(f"/clients/{keep}/merge", data={"other_id": gone}).status_code in (302, 403)
    log_in(client, gen_user(app, "manager").username)
    page = client.get(f"/clients/{keep}").get_data(as_text=True)
    assert f'id="merge-{gone}"' in page
    no_such = client.post(f"/clients/{keep}/merge", data={"other_id": "abc"})
    assert no_such.status_code == 422
    assert 'class="error" role="alert">请选择要合并进来的客户。' in no_such.get_data(as_text=True)
    assert client.post(f"/clients/{keep}/merge", data={"other_id": gone}).status_code == 302
    with app.app_context():
        merged = db.session.get(Client, keep)
        assert db.session.get(Client, gone) is None
        assert sorted(c.name for c in merged.contacts) == ["曾小明", "钱芳"]
        assert merged.address == "徐州市铜山区" and merged.last_contact_at is not None
        assert db.session.scalar(sa.select(sa.func.count(Interaction.id))
                                 .where(Interaction.client_id == keep)) == 1
        assert db.session.get(ClientConfidential, keep).total_purchases == Decimal("3500.00")
        assert db.session.scalar(sa.select(AuditEvent.detail).where(AuditEvent.action == "client.merged")) \
            .startswith(f"merged={gone}")
        assert db.session.scalar(sa.select(sa.func.count(Contact.id))) == 2
    assert "钱芳" in client.get("/clients?q=钱芳").get_data(as_text=True)


def test_only_managers_merge(app, client):
    sales = gen_user(app, "sales")
    keep, gone = make_client(app, sales, "甲"), make_client(app, sales, "乙")
    log_in(client, gen_user(app, "supervisor").username)
    assert client.post(f"/clients/{keep}/merge", data={"other_id": gone}).status_code == 403
    assert 'id="merge-' not in client.get(f"/clients/{keep}").get_data(as_text=True)


def test_a_manager_sees_archives_sharing_a_mobile_or_an_email_in_two_statements(app, client):
    sales = gen_user(app, "sales")
    keep = make_client(app, sales, "徐州华通机械有限公司", contacts=[
        {"name": "曾小明", "mobile": "13812345678"}, {"name": "钱芳", "email": "qian.fang@huatong.cn"},
        {"name": "孙丽"}, {"name": "李强", "mobile": "13912345678"}])
    shares_mobile = [{"name": "曾小明", "mobile": "13812345678"}]
    shares_email = [{"name": "钱芳", "email": "qian.fang@huatong.cn"}]
    by_mobile = make_client(app, sales, "铜山机械设备厂", contacts=shares_mobile, duplicate=True)
    by_email = make_client(app, sales, "华通机械销售部", contacts=shares_email, duplicate=True)
    unrelated = make_client(app, sales, "南通江海船舶有限公司",
                            contacts=[{"name": "周敏", "mobile": "13700001111"}])
    log_in(client, gen_user(app, "manager").username)
    with app.app_context():
        archive = db.session.get(Client, keep)
        assert len(archive.contacts) == 4  # loaded with the page, before
        statements = []
        listen = lambda *args: statements.append(args[2])  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", listen)
        found = duplicates.merge_candidates(archive)
        sa.event.remove(db.engine, "before_cursor_execute", listen)
        assert {(d.client.id, d.why) for d in found} == {(by_mobile, "mobile"), (by_email, "email")}
        assert len(statements) == 2  # by name, by the contacts' numbers and emails
    page = client.get(f"/clients/{keep}").get_data(as_text=True)
    assert f'id="merge-{by_mobile}"' in page and f'id="merge-{unrelated}"' not in page
